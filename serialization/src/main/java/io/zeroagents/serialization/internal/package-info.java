/**
 * The built-in payload codecs, reached only through
 * {@link io.zeroagents.serialization.CodecRegistry}.
 *
 * <p>Not API: these classes may change or disappear in any release.
 */
@NullMarked
package io.zeroagents.serialization.internal;

import org.jspecify.annotations.NullMarked;

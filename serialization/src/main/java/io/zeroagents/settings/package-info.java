/**
 * The configuration registry: every {@code zeroagents.*} setting as one typed {@link
 * io.zeroagents.settings.ConfigKey} in {@link io.zeroagents.settings.ZeroAgentsSettings},
 * read through one {@link io.zeroagents.settings.ConfigSource}, and the one detector of this
 * machine's host name ({@link io.zeroagents.settings.HostName}).
 *
 * <p>It lives in the serialization module because that is the lowest module every reader depends
 * on (serialization itself, the name server, the runtime); agent-api stays free of it. The package
 * is named apart from serialization's own so that it can move to a module of its own unchanged.
 *
 * <p>Not API: these classes may change or disappear in any release.
 */
@NullMarked
package io.zeroagents.settings;

import org.jspecify.annotations.NullMarked;

/**
 * The service-provider interface between {@code agent-api} and a runtime: what a runtime
 * implements, and how the API finds it. Users do not need this package.
 */
@NullMarked
package io.zeroagents.spi;

import org.jspecify.annotations.NullMarked;

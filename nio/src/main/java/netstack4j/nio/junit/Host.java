package netstack4j.nio.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** Names the host a {@link netstack4j.stack.NetStack} parameter gets ({@code "client"}, {@code "h2"}...). */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Host {
    /** The host's name in the topology. */
    String value();
}

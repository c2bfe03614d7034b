package io.erpsync.ops;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * What an MBean attribute, operation or parameter means, as JConsole and Hawtio show it
 * ({@link DescribedMBean}); a parameter also gets its name, which the compiled class does not keep.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.PARAMETER, ElementType.TYPE})
public @interface Describe {
    String value();

    /** A parameter's name. */
    String name() default "";
}

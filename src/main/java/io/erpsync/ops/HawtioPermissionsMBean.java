package io.erpsync.ops;

import java.util.List;
import java.util.Map;

/**
 * Hawtio's permission check (it looks for an MBean named {@code *:type=security,area=jmx,*} and asks it
 * before enabling a button): whether the caller may invoke an MBean's operations through Jolokia.
 */
public interface HawtioPermissionsMBean {
    /** Whether any operation of the MBean may be invoked. */
    boolean canInvoke(String objectName) throws Exception;

    /** Whether the operation (a name, any of its overloads, or a name with its signature) may be invoked. */
    boolean canInvoke(String objectName, String methodName) throws Exception;

    boolean canInvoke(String objectName, String methodName, String[] argumentTypes) throws Exception;

    /** For each MBean, for each operation ({@code stop()}, {@code stop(long)}): ObjectName, Method, CanInvoke. */
    Map<String, Map<String, Map<String, Object>>> canInvoke(Map<String, List<String>> bulkQuery) throws Exception;
}

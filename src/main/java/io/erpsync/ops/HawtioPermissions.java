package io.erpsync.ops;

import org.jolokia.server.core.service.api.Restrictor;

import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Answers Hawtio's permission check from the same Jolokia policies that decide the request, so
 * Hawtio disables the buttons of what the signed-in user may not do (a viewer's Stop, everyone's
 * context Stop) instead of showing a refusal after the click.
 */
public final class HawtioPermissions implements HawtioPermissionsMBean {
    public static final String OBJECT_NAME = "hawtio:type=security,area=jmx,name=ErpSyncJMXSecurity";

    private final MBeanServer mbeans;
    private final Supplier<Restrictor> rules;

    public HawtioPermissions(MBeanServer mbeans, Supplier<Restrictor> rules) {
        this.mbeans = mbeans;
        this.rules = rules;
    }

    @Override
    public boolean canInvoke(String objectName) throws Exception {
        ObjectName name = new ObjectName(objectName);
        Restrictor r = rules.get();
        return Arrays.stream(mbeans.getMBeanInfo(name).getOperations()).anyMatch(op -> r.isOperationAllowed(name, signature(op)));
    }

    @Override
    public boolean canInvoke(String objectName, String methodName) throws Exception {
        ObjectName name = new ObjectName(objectName);
        Restrictor r = rules.get();
        if (methodName.contains("(")) {
            return r.isOperationAllowed(name, methodName.replace(" ", ""));
        }
        return r.isOperationAllowed(name, methodName) || Arrays.stream(mbeans.getMBeanInfo(name).getOperations())
                .filter(op -> op.getName().equals(methodName)).anyMatch(op -> r.isOperationAllowed(name, signature(op)));
    }

    @Override
    public boolean canInvoke(String objectName, String methodName, String[] argumentTypes) throws Exception {
        return canInvoke(objectName, methodName + "(" + String.join(",", argumentTypes) + ")");
    }

    @Override
    public Map<String, Map<String, Map<String, Object>>> canInvoke(Map<String, List<String>> bulkQuery) throws Exception {
        Map<String, Map<String, Map<String, Object>>> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : bulkQuery.entrySet()) {
            Map<String, Map<String, Object>> ops = new LinkedHashMap<>();
            for (String method : e.getValue()) {
                Map<String, Object> answer = new LinkedHashMap<>();
                answer.put("ObjectName", e.getKey());
                answer.put("Method", method);
                answer.put("CanInvoke", canInvoke(e.getKey(), method));
                ops.put(method, answer);
            }
            out.put(e.getKey(), ops);
        }
        return out;
    }

    /** As Jolokia and Hawtio name an operation: {@code stop(long)}. */
    static String signature(MBeanOperationInfo op) {
        return op.getName() + Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getType).collect(Collectors.joining(",", "(", ")"));
    }
}

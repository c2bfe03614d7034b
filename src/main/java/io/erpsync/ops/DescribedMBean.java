package io.erpsync.ops;

import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.MBeanOperationInfo;
import javax.management.MBeanParameterInfo;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Optional;

/**
 * A standard MBean whose descriptions come from {@link Describe} on its interface, instead of the
 * JDK's "Operation exposed for management" and parameters named p1, p2.
 */
public final class DescribedMBean<T> extends StandardMBean {
    private final Class<T> type;

    public DescribedMBean(T implementation, Class<T> type) throws NotCompliantMBeanException {
        super(implementation, type);
        this.type = type;
    }

    @Override
    protected String getDescription(MBeanInfo info) {
        Describe d = type.getAnnotation(Describe.class);
        return d != null ? d.value() : super.getDescription(info);
    }

    @Override
    protected String getDescription(MBeanAttributeInfo info) {
        String name = info.getName();
        return Arrays.stream(type.getMethods())
                .filter(m -> m.getParameterCount() == 0 && (m.getName().equals("get" + name) || m.getName().equals("is" + name)))
                .map(m -> m.getAnnotation(Describe.class)).filter(d -> d != null).map(Describe::value)
                .findFirst().orElse(super.getDescription(info));
    }

    @Override
    protected String getDescription(MBeanOperationInfo op) {
        return method(op).map(m -> m.getAnnotation(Describe.class)).map(Describe::value).orElse(super.getDescription(op));
    }

    @Override
    protected String getParameterName(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return parameter(op, sequence).map(Describe::name).filter(n -> !n.isEmpty()).orElse(super.getParameterName(op, param, sequence));
    }

    @Override
    protected String getDescription(MBeanOperationInfo op, MBeanParameterInfo param, int sequence) {
        return parameter(op, sequence).map(Describe::value).orElse(super.getDescription(op, param, sequence));
    }

    private Optional<Describe> parameter(MBeanOperationInfo op, int sequence) {
        return method(op).flatMap(m -> Arrays.stream(m.getParameterAnnotations()[sequence])
                .filter(a -> a instanceof Describe).map(a -> (Describe) a).findFirst());
    }

    private Optional<Method> method(MBeanOperationInfo op) {
        return Arrays.stream(type.getMethods()).filter(m -> m.getName().equals(op.getName())
                && Arrays.equals(Arrays.stream(m.getParameterTypes()).map(Class::getName).toArray(),
                Arrays.stream(op.getSignature()).map(MBeanParameterInfo::getType).toArray())).findFirst();
    }
}

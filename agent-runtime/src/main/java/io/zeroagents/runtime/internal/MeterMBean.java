package io.zeroagents.runtime.internal;

import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Statistic;
import io.micrometer.core.instrument.TimeGauge;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.management.Attribute;
import javax.management.AttributeList;
import javax.management.AttributeNotFoundException;
import javax.management.DynamicMBean;
import javax.management.MBeanAttributeInfo;
import javax.management.MBeanInfo;
import javax.management.ReflectionException;

/**
 * One Micrometer meter as a read-only JMX MBean: an attribute per statistic the meter measures
 * ({@code Count}, {@code TotalTime}, {@code Value}, {@code Max}, ...), read from the meter at every
 * read, so JMX clients see live values and nothing is copied as agents count.
 *
 * <p>Times are in the base time unit of the registry the meter belongs to, which the descriptions
 * name.
 */
final class MeterMBean implements DynamicMBean {
    private final Meter meter;
    private final MBeanInfo info;

    /**
     * @param meter    the meter
     * @param timeUnit the base time unit of its registry, for the descriptions of time statistics
     */
    MeterMBean(Meter meter, String timeUnit) {
        this.meter = meter;
        List<MBeanAttributeInfo> attributes = new ArrayList<>();
        for (Measurement measurement : meter.measure()) {
            Statistic statistic = measurement.getStatistic();
            String unit = isTime(meter, statistic) ? " (" + timeUnit + ")" : "";
            attributes.add(new MBeanAttributeInfo(attributeName(statistic), "double",
                    statistic.getTagValueRepresentation() + unit, true, false, false));
        }
        String description = meter.getId().getDescription();
        this.info = new MBeanInfo(MeterMBean.class.getName(),
                description != null ? description : meter.getId().getName(),
                attributes.toArray(MBeanAttributeInfo[]::new), null, null, null);
    }

    /** {@code COUNT} is {@code Count}, {@code TOTAL_TIME} is {@code TotalTime}: JMX's usual attribute case. */
    static String attributeName(Statistic statistic) {
        StringBuilder name = new StringBuilder();
        for (String word : statistic.name().split("_")) {
            name.append(word.charAt(0)).append(word.substring(1).toLowerCase(Locale.ROOT));
        }
        return name.toString();
    }

    private static boolean isTime(Meter meter, Statistic statistic) {
        return switch (statistic) {
            case TOTAL_TIME, DURATION -> true;
            case MAX -> meter.getId().getType() == Meter.Type.TIMER
                    || meter.getId().getType() == Meter.Type.LONG_TASK_TIMER;
            case VALUE -> meter instanceof TimeGauge;
            default -> false;
        };
    }

    @Override
    public Object getAttribute(String attribute) throws AttributeNotFoundException {
        for (Measurement measurement : meter.measure()) {
            if (attributeName(measurement.getStatistic()).equals(attribute)) {
                return measurement.getValue();
            }
        }
        throw new AttributeNotFoundException("Meter '" + meter.getId().getName() + "' has no attribute '" + attribute
                + "' (attributes: " + attributeNames() + ")");
    }

    @Override
    public AttributeList getAttributes(String[] attributes) {
        AttributeList values = new AttributeList();
        for (String attribute : attributes) {
            try {
                values.add(new Attribute(attribute, getAttribute(attribute)));
            } catch (AttributeNotFoundException e) {
                // As the contract asks: the list holds the attributes that could be read.
            }
        }
        return values;
    }

    @Override
    public void setAttribute(Attribute attribute) throws AttributeNotFoundException {
        throw new AttributeNotFoundException("Meter '" + meter.getId().getName() + "' is read-only: cannot set '"
                + attribute.getName() + "'");
    }

    @Override
    public AttributeList setAttributes(AttributeList attributes) {
        return new AttributeList();
    }

    @Override
    public Object invoke(String actionName, Object[] params, String[] signature) throws ReflectionException {
        throw new ReflectionException(new NoSuchMethodException(actionName),
                "Meter '" + meter.getId().getName() + "' has no operations");
    }

    @Override
    public MBeanInfo getMBeanInfo() {
        return info;
    }

    private List<String> attributeNames() {
        return List.of(info.getAttributes()).stream().map(MBeanAttributeInfo::getName).toList();
    }
}

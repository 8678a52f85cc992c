package io.ecgsentinel.core.quality;

import java.util.ArrayList;
import java.util.List;

/**
 * Quality of every lead of one analysis window, with the leads ranked so a caller can pick the
 * best one (e.g. for a single-lead QRS detector) or drop the window when no lead is usable.
 *
 * @param leads quality per lead, in lead order
 * @param ranking lead indices from best to worst: usable leads first, then by index (ties keep
 *     lead order, so the choice is deterministic)
 * @param anyUsable whether at least one lead is usable
 */
public record QualitySummary(List<LeadQuality> leads, int[] ranking, boolean anyUsable) {

    public QualitySummary {
        leads = List.copyOf(leads);
        ranking = ranking.clone();
    }

    /** Builds the summary, ranking the leads. */
    public static QualitySummary of(List<LeadQuality> leads) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < leads.size(); i++) {
            order.add(i);
        }
        // List.sort is stable, so equal leads stay in lead order.
        order.sort((a, b) -> {
            LeadQuality x = leads.get(a);
            LeadQuality y = leads.get(b);
            if (x.usable() != y.usable()) {
                return x.usable() ? -1 : 1;
            }
            return Double.compare(y.index(), x.index());
        });
        int[] ranking = order.stream().mapToInt(Integer::intValue).toArray();
        boolean any = leads.stream().anyMatch(LeadQuality::usable);
        return new QualitySummary(leads, ranking, any);
    }

    @Override
    public int[] ranking() {
        return ranking.clone();
    }

    /** The best usable lead, or -1 when none is usable. */
    public int bestLead() {
        return anyUsable ? ranking[0] : -1;
    }

    /** Usable leads from best to worst. */
    public List<Integer> usableLeads() {
        List<Integer> out = new ArrayList<>();
        for (int i : ranking) {
            if (leads.get(i).usable()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Mean index over all leads (0 for no leads). */
    public double meanIndex() {
        return leads.stream().mapToDouble(LeadQuality::index).average().orElse(0.0);
    }
}

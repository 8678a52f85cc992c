package io.ecgsentinel.core.labels;

/**
 * One SCP-ECG statement from PTB-XL's {@code scp_statements.csv}: what a code in a record's {@code
 * scp_codes} means and how PTB-XL groups it (diagnostic superclass and subclass, form and rhythm
 * statements).
 *
 * @param code the statement code, for example {@code NORM}, {@code AFIB}, {@code PVC}
 * @param description short description
 * @param diagnostic true for diagnostic statements (those have a diagnostic class)
 * @param form true for form statements (for example PVC, LVOLT)
 * @param rhythm true for rhythm statements (for example SR, AFIB)
 * @param diagnosticClass the diagnostic superclass (NORM, MI, STTC, CD, HYP), or empty
 * @param diagnosticSubclass the diagnostic subclass (for example AMI, LVH), or empty
 * @param category the statement category of the SCP-ECG standard
 */
public record ScpStatement(
        String code,
        String description,
        boolean diagnostic,
        boolean form,
        boolean rhythm,
        String diagnosticClass,
        String diagnosticSubclass,
        String category) {}

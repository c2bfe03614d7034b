package io.erpsync.target.fusion;

import io.erpsync.target.Target;

/** The Oracle Fusion style ERP (docs/erp-contract.md) as a target of the cycle. */
public final class Fusion {

    private Fusion() {
    }

    public static Target target() {
        FusionItems items = new FusionItems();
        return new Target("ERP", items, items, new FusionAnswers(), new FusionLanes());
    }
}

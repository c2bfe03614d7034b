package io.erpsync.core;

/**
 * Work other than a stock batch that an ERP call is made for (a BOM change), as the one error
 * policy (routes/error-handling.camel.yaml) sees it: what to do when the policy gives up on a call,
 * and when the run cannot go on. The exchange carries it in the property {@link Keys#WORK}.
 */
public interface OtherWork {
    /** The call failed past its retries, or was refused: the work is parked with the reason. */
    void giveUp(Throwable failure);

    /** The run cannot go on (credentials, certificate, store): it fails and parks nothing. */
    void failRun(String why);

    /**
     * Whether its failed calls wait their back-off off the lane instead of in place: the policy then
     * hands the first failure to {@link #giveUp}, which decides the retry itself (a BOM change, whose
     * wait holds its bill and not the lane).
     */
    default boolean retriesOffLane() {
        return false;
    }
}

"""batch-size-lr (spec batch-size-lr.md): the verdict of every claim, control and erratum (claim model of issue 13)."""
from expected import assert_verdicts

SLUG = "batch-size-lr"
VERDICTS = {
    "C1.batch_moments": "proved", "C2-C3.scaling_rules": "proved", "C3.stationary_variance": "proved",
    "C4.expected_loss": "proved", "C5.optimal_lr": "proved", "C5.toy": "certified", "C6.shape": "proved",
    "C7.B_simple": "proved", "C8.optimal_decrease": "proved", "C9.steps_data": "proved", "C10.sign_moments": "proved",
    "C11.surrogate": "proved", "C11.erf_gap": "checked", "C12.sign_optimum": "proved", "C13.large_batch": "proved",
    "C14.diagonal": "proved", "C14.mean_field_gap": "checked", "C15.mean_field_peak": "proved",
    "C15.surge_example": "checked", "C15.exact_peak": "proved", "C15.peak_location_gap": "checked",
    "C15.surrogate_law_gap": "checked", "C16.decrease": "proved",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.eta_hat_is_not_the_limit", "E2.reused_names",
                                                "E3.offdiagonal_is_not_enough"))

"""adam-epsilon (spec adam-epsilon.md): the verdict of every claim, control and erratum (claim model of issue 13)."""
from expected import assert_verdicts

SLUG = "adam-epsilon"
VERDICTS = {
    "C1.limits": "proved", "C2.surrogates": "proved", "C2.clip_gap": "checked", "C3.clip_mean": "checked",
    "C4.mean_algebra": "proved", "C4.mean_gap": "checked", "C5.clip_second_moment": "proved", "C5.clip_shape": "checked",
    "C5.second_moment_algebra": "proved", "C5.second_moment_gap": "checked", "C4-C5.reference_table": "checked",
    "C6.optimal_lr": "proved", "C6.example": "certified", "C7.surge_condition": "proved", "C8.large_epsilon": "certified",
    "C9.counterexamples": "checked",
}


def test_verdicts(verified):
    assert_verdicts(verified, VERDICTS, errata=("E1.surge_needs_Q_gt_2D", "E2.epsilon_can_create_a_surge",
                                                "E3.pi_half_is_an_artifact"))

"""The stability bench's comparison of two runs' mentions."""

from bench.stability import agreement


def test_agreement_counts_same_span_and_label_and_what_only_the_other_run_found():
    together = {("a.txt", 0, 5): "PERSON", ("a.txt", 10, 16): "PLACE", ("b.txt", 3, 9): "ORG"}
    other = {
        ("a.txt", 0, 5): "PERSON",  # kept
        ("a.txt", 10, 16): "ORG",  # relabelled
        ("b.txt", 3, 8): "ORG",  # another span, found only here
        ("b.txt", 20, 25): "PLACE",  # found only here
    }
    share, only = agreement(together, other)
    assert share == 1 / 3
    assert only == 2
    assert agreement({}, other) == (1.0, 4)

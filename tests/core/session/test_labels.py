"""Display labels name one number each: a repeated label is refused with its path (issue 9)."""

from __future__ import annotations

import pytest

from core.session.format import SessionError, load_session, session_from_dict
from tests import paths
from tests.core.session.sessions import minimal


def labelled(**labels) -> dict:
    d = minimal()
    d["network"]["labels"] = labels
    return d


def test_two_biases_with_one_label_are_refused():
    d = labelled(biases=[["b1", "b1"], ["b2"]])
    with pytest.raises(SessionError) as err:
        session_from_dict(d)
    (problem,) = err.value.problems
    assert problem.startswith(
        "network.labels.biases[0][1]: 'b1' already labels network.labels.biases[0][0]"
    )
    assert "b1′" in problem


def test_a_weight_and_a_bias_may_not_share_a_label_but_a_neuron_may():
    weights = [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"]]]
    with pytest.raises(SessionError, match=r"biases\[1\]\[0\]: 'w5' already labels"):
        session_from_dict(labelled(weights=weights, biases=[["b1", "b2"], ["w5"]]))
    with pytest.raises(SessionError, match=r"neurons\[2\]\[0\]: 'h1' already labels"):
        session_from_dict(labelled(neurons=[["i1", "i2"], ["h1", "h2"], ["h1"]]))
    # dL/dw5 and z_w5 are different symbols: a neuron may share a parameter's label
    s = session_from_dict(labelled(neurons=[["w5", "i2"], ["h1", "h2"], ["o1"]], weights=weights))
    assert s.labels["neurons"][0][0] == "w5"


def test_the_mazur_lesson_labels_each_bias_once():
    biases = load_session(paths.LESSONS / "mazur.json").labels["biases"]
    assert biases == [["b1", "b1′"], ["b2", "b2′"]]

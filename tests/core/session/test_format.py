"""Sessions to and from JSON: defaults, exact round trips, unknown keys, labels, data."""

from __future__ import annotations

import copy
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.session.format import (
    FORMAT,
    SessionError,
    dumps_session,
    load_session,
    loads_session,
    save_session,
    session_from_dict,
    session_to_dict,
)
from tests import paths
from tests.core.session.sessions import XOR_INPUTS, XOR_TARGETS, minimal, with_weights

AWKWARD_FLOATS = [0.1 + 0.2, 1e-300, 0.37454011884736254, -0.0, 5e-324, 1.7976931348623157e308]


# --- defaults and the network ---------------------------------------------------------------


def test_defaults_are_filled_in() -> None:
    s = session_from_dict(minimal())
    assert (s.name, s.description, s.loss) == ("Untitled", "", "mse")
    assert (s.init_scheme, s.init_seed) == ("xavier_uniform", 0)
    assert s.training == TrainingConfig()
    assert s.features == ["x1", "x2"]
    assert s.labels is None and s.warnings == [] and s.extra == {} and s.path is None
    assert s.data == minimal()["data"]
    assert s.dataset.x_train.shape == (4, 2) and s.dataset.y_train.shape == (4, 1)


def test_sine_defaults_to_one_feature() -> None:
    d = minimal()
    d["network"]["layers"] = [1, 4, 1]
    d["network"]["activations"] = ["tanh", "linear"]
    d["data"] = {"builtin": "sine", "n": 40, "seed": 3}
    s = session_from_dict(d)
    assert s.features == ["x1"]
    assert s.dataset.x_train.shape[1] == 1
    assert "features" in session_to_dict(s)


def test_network_comes_from_init_when_weights_are_absent() -> None:
    d = minimal()
    d["network"]["init"] = {"scheme": "he_normal", "seed": 7}
    a, b = session_from_dict(d), session_from_dict(copy.deepcopy(d))
    expected = Network.initialized([2, 2, 1], ["sigmoid", "sigmoid"], "he_normal", 7)
    for got, again, want in zip(a.network.weights, b.network.weights, expected.weights):
        assert np.array_equal(got, want) and np.array_equal(again, want)
    for got, want in zip(a.initial_network().weights, expected.weights):
        assert np.array_equal(got, want)
    d["network"]["init"]["seed"] = 8
    assert not np.array_equal(session_from_dict(d).network.weights[0], expected.weights[0])


def test_explicit_weights_are_used_exactly() -> None:
    weights = [[[0.15, 0.2], [0.25, 0.3]], [[0.4, 0.45]]]
    biases = [[0.35, 0.35], [0.6]]
    s = session_from_dict(with_weights(weights, biases))
    assert [w.tolist() for w in s.network.weights] == weights
    assert [b.tolist() for b in s.network.biases] == biases
    assert s.network.activation_names == ["sigmoid", "sigmoid"]


def test_initial_network_follows_edited_layers() -> None:
    s = session_from_dict(minimal())
    s.network.add_neuron(1, 2, "xavier_uniform", np.random.default_rng(0))
    fresh = s.initial_network()
    assert fresh.layers == [2, 3, 1]
    assert np.array_equal(
        fresh.weights[0],
        Network.initialized([2, 3, 1], ["sigmoid", "sigmoid"], "xavier_uniform", 0).weights[0],
    )


# --- round trips ----------------------------------------------------------------------------


def test_load_save_load_is_exact(tmp_path: Path) -> None:
    weights = [[AWKWARD_FLOATS[:2], AWKWARD_FLOATS[2:4]], [AWKWARD_FLOATS[4:]]]
    d = with_weights(weights, [[0.1 + 0.2, 1e-300], [0.37454011884736254]])
    d["training"] = {"learning_rate": 0.1 + 0.2, "eps": 1e-300, "batch_size": 2}
    first = tmp_path / "a.json"
    first.write_text(json.dumps(d), encoding="utf-8")
    a = load_session(first)
    save_session(a, tmp_path / "b.json")
    b = load_session(tmp_path / "b.json")
    for x, y in zip(a.network.weights + a.network.biases, b.network.weights + b.network.biases):
        assert np.array_equal(x, y)
        assert np.array_equal(np.signbit(x), np.signbit(y))  # -0.0 stays -0.0
    assert b.network.weights[0].tolist() == weights[0]
    assert b.training == a.training and b.training.learning_rate == 0.1 + 0.2
    save_session(b, tmp_path / "c.json")
    assert (tmp_path / "b.json").read_text() == (tmp_path / "c.json").read_text()


@settings(max_examples=50, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False), min_size=6, max_size=6))
def test_any_finite_float_survives_a_round_trip(values: list[float]) -> None:
    s = session_from_dict(with_weights([[values[:2], values[2:4]], [values[4:]]], [[0, 0], [0]]))
    again = loads_session(dumps_session(s))
    for x, y in zip(s.network.weights, again.network.weights):
        assert x.tobytes() == y.tobytes()


def test_save_writes_the_current_weights(tmp_path: Path) -> None:
    s = session_from_dict(minimal())
    s.network.weights[1][0, 1] = 0.123456789012345
    s.network.biases[0][:] = [1.5, -2.5]
    path = save_session(s, tmp_path / "s.json")
    assert s.path == path
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["network"]["weights"][1][0][1] == 0.123456789012345
    assert saved["network"]["biases"][0] == [1.5, -2.5]
    assert saved["training"] == {k: v for k, v in vars(TrainingConfig()).items()}
    assert saved["format"] == FORMAT and saved["loss"] == "mse"


def test_save_refuses_a_diverged_network(tmp_path: Path) -> None:
    s = session_from_dict(minimal())
    s.network.weights[0][1, 0] = np.nan
    with pytest.raises(SessionError, match=r"network\.weights\[0\]\[1\]\[0\]: nan cannot be"):
        save_session(s, tmp_path / "s.json")
    assert not list(tmp_path.iterdir())


def test_save_needs_a_path() -> None:
    with pytest.raises(ValueError, match="give a path"):
        save_session(session_from_dict(minimal()))


# --- unknown keys ---------------------------------------------------------------------------


def test_unknown_keys_are_warned_about_and_kept_on_save(tmp_path: Path) -> None:
    d = minimal()
    d["slides"] = {"steps": [1, 2, {"say": "hello"}], "speed": 0.5}
    d["training"] = {"foo": [1, 2], "epochs": 5}
    d["network"]["colour"] = "blue"
    d["network"]["init"] = {"seed": 3, "bar": None}
    d["network"]["labels"] = {"neurons": [["a", "b"], ["c", "d"], ["e"]], "style": "bold"}
    d["data"]["inline"]["note"] = "from the lecture notes"
    d["data"]["comment"] = "XOR"
    s = session_from_dict(d)
    assert s.warnings == [
        "slides: unknown key, kept as is",
        "network.colour: unknown key, kept as is",
        "network.init.bar: unknown key, kept as is",
        "network.labels.style: unknown key, kept as is",
        "training.foo: unknown key, kept as is",
        "data.comment: unknown key, kept as is",
        "data.inline.note: unknown key, kept as is",
    ]
    assert s.data == {"inline": {"inputs": XOR_INPUTS, "targets": XOR_TARGETS}}
    saved = json.loads(save_session(s, tmp_path / "s.json").read_text(encoding="utf-8"))
    assert saved["slides"] == d["slides"]
    assert saved["training"]["foo"] == [1, 2] and saved["training"]["epochs"] == 5
    assert saved["network"]["colour"] == "blue" and saved["network"]["init"]["bar"] is None
    assert saved["network"]["labels"]["style"] == "bold"
    assert saved["data"]["comment"] == "XOR"
    assert saved["data"]["inline"]["note"] == "from the lecture notes"
    assert load_session(tmp_path / "s.json").warnings == s.warnings


def test_a_misspelt_key_gets_a_suggestion() -> None:
    d = minimal()
    d["training"] = {"learnig_rate": 0.5}
    s = session_from_dict(d)
    assert s.warnings == [
        "training.learnig_rate: unknown key, kept as is (did you mean 'learning_rate'?)"
    ]
    assert s.training.learning_rate == TrainingConfig().learning_rate


def test_a_repeated_key_is_warned_about() -> None:
    text = json.dumps(minimal())[:-1] + ', "name": "a", "name": "b"}'
    s = loads_session(text)
    assert s.name == "b"
    assert s.warnings == ["name: the key appears more than once; the last one is used"]


# --- labels ---------------------------------------------------------------------------------


def test_labels_are_kept_and_dropped_once_they_no_longer_fit() -> None:
    labels = {
        "neurons": [["i1", "i2"], ["h1", "h2"], ["o1"]],
        "weights": [[["w1", "w2"], ["w3", "w4"]], [["w5", "w6"]]],
        "biases": [["b1", "b1′"], ["b2"]],
    }
    d = minimal()
    d["network"]["labels"] = labels
    s = session_from_dict(d)
    assert s.labels == labels
    assert session_to_dict(s)["network"]["labels"] == labels
    s.network.add_neuron(1, 2, "xavier_uniform", np.random.default_rng(0))
    assert "labels" not in session_to_dict(s)["network"]


def test_a_huge_network_is_refused_without_allocating() -> None:
    d = minimal()
    d["network"] = {"layers": [4096, 4096, 4096, 4096], "activations": ["relu"] * 3}
    tracemalloc.start()
    try:
        with pytest.raises(SessionError) as err:
            session_from_dict(d)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000  # bytes: one of its weight matrices alone would take 134 MB
    assert err.value.problems == [
        "network.layers: the network would have 50,343,936 parameters; "
        "at most 10,000,000 are allowed"
    ]


def test_builtin_data_and_features() -> None:
    d = minimal()
    d["network"]["layers"] = [3, 4, 1]
    d["network"]["activations"] = ["tanh", "tanh"]
    d["data"] = {"builtin": "circle", "n": 100, "noise": 0.1, "seed": 1}
    d["features"] = ["x1", "x2", "x1*x2"]
    s = session_from_dict(d)
    assert s.dataset.x_train.shape == (50, 3) and s.dataset.input_names == ("x1", "x2", "x1*x2")
    assert s.data == d["data"]  # defaults (test_ratio, classes) are not filled in
    s.features = ["x1", "x2"]
    with pytest.raises(SessionError, match=r"network\.layers\[0\]: 3 inputs, but the data gives 2"):
        s.reload_dataset()
    assert s.dataset.x_train.shape[1] == 3  # the old dataset is kept
    s.network.remove_neuron(0, 2)
    s.reload_dataset()
    assert s.dataset.x_train.shape == (50, 2)


def test_csv_paths_are_relative_to_the_session_file(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "xor.csv").write_text("a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    d = minimal()
    d["data"] = {"csv": "data/xor.csv", "targets": ["label"]}
    (tmp_path / "s.json").write_text(json.dumps(d), encoding="utf-8")
    s = load_session(tmp_path / "s.json")
    assert s.base_dir() == tmp_path and s.dataset.input_names == ("a", "b")
    (tmp_path / "elsewhere").mkdir()
    save_session(s, tmp_path / "elsewhere" / "s.json")
    assert s.data["csv"] == "../data/xor.csv"
    # issue 10: the data is now outside the session's folder, which needs permission
    with pytest.raises(SessionError, match="outside the session's folder"):
        load_session(tmp_path / "elsewhere" / "s.json")
    save_session(s, tmp_path / "data" / "s.json")  # a folder the data is in: no permission
    assert s.data["csv"] == "xor.csv"
    again = load_session(tmp_path / "data" / "s.json")
    assert np.array_equal(again.dataset.x_train, s.dataset.x_train)


def test_from_dict_resolves_csv_paths_from_base_dir(tmp_path: Path) -> None:
    (tmp_path / "xor.csv").write_text("a,b,label\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n")
    d = minimal()
    d["data"] = {"csv": "xor.csv", "targets": ["label"]}
    s = session_from_dict(d, base_dir=tmp_path)
    assert s.base_dir() == tmp_path
    s.reload_dataset()
    assert s.dataset.x_train.shape == (4, 2)


def test_the_input_is_not_changed() -> None:
    d = minimal()
    d["slides"] = {"x": [1]}
    before = copy.deepcopy(d)
    s = session_from_dict(d)
    s.data["inline"]["inputs"][0][0] = 99
    s.extra[""]["slides"]["x"].append(2)
    assert d == before


def test_numpy_values_from_python_callers_are_accepted() -> None:
    d = minimal()
    d["network"]["layers"] = [np.int64(2), 2, 1]
    d["network"]["weights"] = [np.array([[0.5, 1], [2, 3]]).tolist(), [[np.float64(0.25), 1]]]
    d["network"]["biases"] = [[0, 0], [np.float64(-1)]]
    d["training"] = {"learning_rate": np.float64(0.5), "epochs": np.int32(3)}
    s = session_from_dict(d)
    assert s.network.weights[1].tolist() == [[0.25, 1.0]]
    assert s.training.learning_rate == 0.5 and s.training.epochs == 3
    assert type(s.training.epochs) is int
    assert json.loads(dumps_session(s))["training"]["learning_rate"] == 0.5


def test_the_documented_example_loads_and_is_written_back_the_same() -> None:
    doc = paths.DOCS / "session-format.md"
    text = doc.read_text(encoding="utf-8")
    example = text.split("```json\n", 1)[1].split("\n```", 1)[0] + "\n"
    s = loads_session(example)
    assert s.warnings == [] and s.network.layers == [2, 2, 2]
    assert dumps_session(s) == example


def test_the_data_keys_agree_with_the_data_reader() -> None:
    from core.data import dataset
    from core.session import schema

    # Unknown data keys are set aside before core.data.dataset.load, which refuses them.
    reader_keys = getattr(dataset, "_SOURCE_KEYS", schema.DATA_KEYS)
    assert reader_keys == schema.DATA_KEYS


def test_a_bad_csv_cell_is_reported_where_it_is(tmp_path: Path) -> None:
    (tmp_path / "xor.csv").write_text("a,b,label\n0,0,0\n0,abc,1\n")
    d = minimal()
    d["data"] = {"csv": "xor.csv", "targets": ["label"]}
    with pytest.raises(SessionError) as err:
        session_from_dict(d, base_dir=tmp_path, file="s.json")
    assert err.value.problems == ["xor.csv:3:2: 'abc' is not a number"]


def test_softmax_blobs_with_one_output_per_class() -> None:
    d = minimal()
    d["network"] = {"layers": [2, 5, 3], "activations": ["relu", "softmax"]}
    d["loss"] = "cce"
    d["data"] = {"builtin": "blobs", "classes": 3, "n": 60}
    s = session_from_dict(d)
    assert s.dataset.y_train.shape == (30, 3) and s.dataset.n_classes == 3


LESSONS = sorted(paths.LESSONS.glob("*.json"))


@pytest.mark.parametrize("lesson", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_survives_load_save_load(lesson: Path, tmp_path: Path) -> None:
    s = load_session(lesson)
    saved = save_session(s, tmp_path / lesson.name)
    again = load_session(saved)
    pairs = zip(s.network.weights + s.network.biases, again.network.weights + again.network.biases)
    assert all(np.array_equal(a, b) for a, b in pairs)
    assert again.warnings == s.warnings and again.training == s.training
    assert (
        json.loads(saved.read_text(encoding="utf-8")).keys()
        >= json.loads(lesson.read_text(encoding="utf-8")).keys()
    )


def test_architecture_edits_draw_new_weights_from_the_session_initialiser():
    from core.session.format import loads_session

    text = json.dumps(
        {
            "format": "backprop-lab/1",
            "network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"]},
            "data": {"builtin": "xor_gate"},
        }
    )
    a, b = loads_session(text), loads_session(text)
    for s in (a, b):
        s.network.insert_layer(2, 4, "relu", s.init_scheme, s.edit_rng())
        s.network.add_neuron(1, 0, s.init_scheme, s.edit_rng())
        s.reload_dataset()
    assert a.network.layers == [2, 4, 4, 1]
    for u, v in zip(a.network.parameters(), b.network.parameters()):
        np.testing.assert_array_equal(u, v)
    assert a.edit_rng().random() != a.edit_rng().random()

"""The readout gives the parameters' own numbers after an edit or a step within an epoch,
and the epoch's when they are the same."""

from __future__ import annotations

from tests.gui.plots.histories import history


def test_the_readout_says_now_only_when_the_parameters_moved_since_the_epoch(plots, clock):
    plots.append(history(3), 0)
    plots.flush()
    h = history(3)
    latest = {
        k: float(h[k][-1]) for k in ("train_loss", "test_loss", "train_accuracy", "test_accuracy")
    }
    plots.show_current(latest)  # the last epoch's own parameters
    assert "epoch 2" in plots.loss_readout.text()
    edited = dict(latest, train_loss=9.5, train_accuracy=0.25)
    plots.show_current(edited)
    text = plots.loss_readout.text()
    assert text.startswith("<b>now</b>") and "9.5" in text
    assert "25" in plots.accuracy_readout.text()
    plots.show_current(None)  # training again: the epochs' rows
    assert "epoch 2" in plots.loss_readout.text()

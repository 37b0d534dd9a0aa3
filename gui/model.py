"""The window's session model: what the controls and the diagram edit, with undo.

Views never touch the trainer's arrays (it runs in another process): they ask
this model for an edit.  The model changes its session, pushes an undoable
command, and tells the window whether the trainer must restart from the
session (``restartNeeded``) or can take the change at once (``liveChanged``).
Every undo step stores the session's state before and after (a memento), so
undoing an architecture edit brings back exactly the weights it replaced.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PySide6.QtCore import QObject, Signal, Slot
from PySide6.QtGui import QUndoCommand, QUndoStack

from core.engine.config import TrainingConfig
from core.engine.network import Network
from core.session.format import Session, SessionError
from core.trace.iteration import IterationTrace
from gui import session_edits


@dataclass(frozen=True)
class SessionState:
    """Everything an edit can change, copied."""

    network: Network
    training: TrainingConfig
    data: dict
    features: tuple[str, ...]
    loss: str
    init_scheme: str
    init_seed: int

    @classmethod
    def of(cls, s: Session) -> SessionState:
        """A copy of the editable state of ``s``."""
        return cls(
            s.network.copy(),
            s.training,
            copy.deepcopy(s.data),
            tuple(s.features),
            s.loss,
            s.init_scheme,
            s.init_seed,
        )

    def restore(self, s: Session) -> None:
        """Put this state back into ``s`` (and its data set)."""
        s.network = self.network.copy()
        s.training, s.data, s.features = (
            self.training,
            copy.deepcopy(self.data),
            list(self.features),
        )
        s.loss, s.init_scheme, s.init_seed = self.loss, self.init_scheme, self.init_seed
        s.reload_dataset()


MERGE_ID = 1  # consecutive changes of one live setting (a slider drag) are one undo step


class _Edit(QUndoCommand):
    def __init__(self, model: SessionModel, text: str, before, after, live_key: str | None):
        super().__init__(text)
        self.model, self.before, self.after, self.live_key = model, before, after, live_key

    def id(self) -> int:
        return MERGE_ID if self.live_key is not None else -1

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, _Edit) or other.live_key != self.live_key:
            return False
        self.after = other.after
        return True

    def redo(self) -> None:
        self.model._apply(self.after, self.live_key)

    def undo(self) -> None:
        self.model._apply(self.before, self.live_key)


class _ParameterEdit(QUndoCommand):
    """One weight (``j`` is not None) or bias typed in or nudged on the diagram."""

    def __init__(self, model: SessionModel, l: int, i: int, j: int | None, old: float, new: float):
        what = "weight" if j is not None else "bias"
        super().__init__(f"Edit {what}")
        self.model, self.where, self.old, self.new = model, (l, i, j), old, new

    def id(self) -> int:
        return MERGE_ID + 1  # turning the wheel over one weight is one undo step

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 (Qt's name)
        if not isinstance(other, _ParameterEdit) or other.where != self.where:
            return False
        self.new = other.new
        return True

    def redo(self) -> None:
        self.model._set_parameter(*self.where, self.new)

    def undo(self) -> None:
        self.model._set_parameter(*self.where, self.old)


@dataclass(frozen=True)
class Parameters:
    """Every weight and bias, and the optimiser's state, at one moment."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    optimizer: object


class _StepApplied(QUndoCommand):
    """Lecture mode's Apply: the traced update, undone by putting the parameters and the
    optimiser's state from before the step back (one step fewer counted)."""

    def __init__(self, model: SessionModel, before: Parameters, after: Parameters, taken: bool):
        super().__init__("Apply the traced step")
        self.model, self.before, self.after, self.taken = model, before, after, taken

    def redo(self) -> None:
        if self.taken:  # the trainer already took the step (it stepped the mini-batch)
            self.taken = False
            return
        self.model._install(self.after, counted=1)

    def undo(self) -> None:
        self.model._install(self.before, counted=-1)


class SessionModel(QObject):
    """The session being edited, its file, its undo stack and its clean state."""

    changed = Signal()  # anything changed: views re-read the session
    restartNeeded = Signal(str)  # the trainer must start again from the session (why)
    liveChanged = Signal(str, object)  # a training setting to pass to the running trainer
    failed = Signal(str)  # an edit was refused: the reason, for the status bar
    parameterChanged = Signal(int, int, int, float)  # l, i, j (-1: the bias b^(l+1)_i), value
    parametersInstalled = Signal(object, int)  # Parameters for the trainer, steps counted
    dirtyChanged = Signal(bool)
    pathChanged = Signal(object)

    def __init__(self, session: Session, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.undo_stack = QUndoStack(self)
        self.undo_stack.cleanChanged.connect(self._on_clean_changed)
        self.run_start = SessionState.of(session)

    @property
    def dirty(self) -> bool:
        """Unsaved changes."""
        return not self.undo_stack.isClean()

    def replace(self, session: Session) -> None:
        """A new, opened or lesson session: a fresh undo history, a restart."""
        self.session = session
        self.undo_stack.clear()
        self.undo_stack.setClean()
        self.run_start = SessionState.of(session)
        self.pathChanged.emit(session.path)
        self.changed.emit()
        self.restartNeeded.emit("new session")

    def mark_saved(self, path: Path) -> None:
        """The session was written to ``path``."""
        self.session.path = Path(path)
        self.undo_stack.setClean()
        self.pathChanged.emit(self.session.path)

    # --- edits -----------------------------------------------------------------------------

    def edit(
        self, text: str, change: Callable[[Session], None], live_key: str | None = None
    ) -> bool:
        """Apply ``change`` to the session as one undoable step; False if it was refused."""
        before = SessionState.of(self.session)
        try:
            change(self.session)
        except (ValueError, SessionError) as exc:
            before.restore(self.session)
            self.failed.emit(f"{text}: {exc}")
            return False
        after = SessionState.of(self.session)
        self.undo_stack.push(_Edit(self, text, before, after, live_key))
        return True

    @Slot(str, object)
    def set_setting(self, key: str, value: object) -> bool:
        """A control changed ``key`` (see gui.session_edits.apply_setting)."""
        live = key if session_edits.is_live(key) else None
        label = key.rsplit(".", 1)[-1].replace("_", " ")
        return self.edit(f"Set {label}", lambda s: session_edits.apply_setting(s, key, value), live)

    @Slot(int, int, int, float)
    def set_weight(self, l: int, i: int, j: int, value: float) -> None:
        """weights[l][i, j] = value, as one undo step; the trainer takes it at once."""
        old = float(self.session.network.weights[l][i, j])
        self.undo_stack.push(_ParameterEdit(self, l, i, j, old, float(value)))

    @Slot(int, int, float)
    def set_bias(self, l: int, i: int, value: float) -> None:
        """biases[l][i] = value, as one undo step."""
        old = float(self.session.network.biases[l][i])
        self.undo_stack.push(_ParameterEdit(self, l, i, None, old, float(value)))

    def _set_parameter(self, l: int, i: int, j: int | None, value: float) -> None:
        net = self.session.network
        if j is None:
            net.biases[l][i] = value
        else:
            net.weights[l][i, j] = value
        self.changed.emit()
        self.parameterChanged.emit(l, i, -1 if j is None else j, value)

    def apply_step(self, trace: IterationTrace, optimizer_before: object, taken: bool) -> None:
        """Lecture mode's traced step applied, as one undo step: ``taken`` if the trainer
        already stepped there, else it is given the traced parameters and optimiser now;
        ``optimizer_before`` is the optimiser's state the step started from."""
        before = Parameters(trace.weights_before, trace.biases_before, optimizer_before)
        optimizer_after = copy.deepcopy(trace.optimizer_after)
        after = Parameters(trace.weights_after, trace.biases_after, optimizer_after)
        self.undo_stack.push(_StepApplied(self, before, after, taken))

    def _install(self, parameters: Parameters, counted: int) -> None:
        net = self.session.network
        for dst, src in zip(net.weights + net.biases, parameters.weights + parameters.biases):
            np.copyto(dst, src)
        self.changed.emit()
        self.parametersInstalled.emit(parameters, counted)

    @Slot(int)
    def add_neuron(self, layer: int) -> None:
        """Add a neuron to hidden layer ``layer``."""
        self.edit(f"Add a neuron to layer {layer}", lambda s: session_edits.add_neuron(s, layer))

    @Slot(int)
    def remove_neuron(self, layer: int) -> None:
        """Remove a neuron from hidden layer ``layer``."""
        text = f"Remove a neuron from layer {layer}"
        self.edit(text, lambda s: session_edits.remove_neuron(s, layer))

    @Slot(int)
    def add_layer(self, index: int) -> None:
        """Insert a hidden layer that becomes layer ``index``."""
        self.edit(f"Add hidden layer {index}", lambda s: session_edits.add_layer(s, index))

    @Slot(int)
    def remove_layer(self, layer: int) -> None:
        """Remove hidden layer ``layer``."""
        self.edit(f"Remove layer {layer}", lambda s: session_edits.remove_layer(s, layer))

    @Slot(int, str)
    def set_activation(self, layer: int, name: str) -> None:
        """Change the activation of layer ``layer``."""
        text = f"Set layer {layer} to {name}"
        self.edit(text, lambda s: session_edits.set_activation(s, layer, name))

    def sync_weights(self, weights: list[np.ndarray], biases: list[np.ndarray]) -> None:
        """Take the trainer's current weights (from a snapshot) without an undo step."""
        net = self.session.network
        if [w.shape for w in weights] == [w.shape for w in net.weights]:
            for dst, src in zip(net.parameters(), [p for wb in zip(weights, biases) for p in wb]):
                np.copyto(dst, src)

    def reset_weights(self) -> None:
        """Back to the weights this run started from: the same run again, step for step."""
        self.session.network = self.run_start.network.copy()
        self.changed.emit()
        self.restartNeeded.emit("reset")

    def _apply(self, state: SessionState, live_key: str | None) -> None:
        if live_key is not None:  # the trainer keeps running: only the setting changes
            self.session.training = state.training
            self.changed.emit()
            field = live_key.split(".", 1)[1]
            self.liveChanged.emit(field, getattr(self.session.training, field))
        else:
            state.restore(self.session)
            self.changed.emit()
            self.run_start = SessionState.of(self.session)
            self.restartNeeded.emit(self.undo_stack.undoText() or "edit")

    @Slot(bool)
    def _on_clean_changed(self, clean: bool) -> None:
        self.dirtyChanged.emit(not clean)

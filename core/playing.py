"""Playing: how the training process trains while the window says play, as fast as it
can in chunks of about CHUNK_SECONDS or paced at a number of steps a second, and stops on
divergence or a stop condition.  A part of core.runner.TrainingLoop (its state and its
pipe are the loop's); here so that the loop's commands and its pacing read apart."""

from __future__ import annotations

import math

from core.trace.notation import count

CHUNK_SECONDS = 1 / 120
"""Training time between two looks at the pipe: short enough for a prompt pause."""
MAX_BACKLOG_SECONDS = 0.25
"""A paced run that falls further behind than this stops catching up and starts afresh."""


class Playing:
    """TrainingLoop's playing half: it uses the loop's trainer, scrubber, clock, flags and
    pacing counters, and its set_playing / send_snapshot."""

    def train(self) -> float | None:
        """One chunk of training; returns how long to wait for the next one (None: don't)."""
        if self.steps_per_second is None:
            self.train_chunk()
            wait = None
        else:
            wait = self.train_paced()
        if not self.playing:
            return None
        unsent = self.trainer.steps != self.steps_sent
        until_snapshot = self.last_sent + self.snapshot_seconds - self.clock()
        if unsent and until_snapshot <= 0:
            self.send_snapshot()
        elif unsent and wait is not None:
            wait = min(wait, until_snapshot)
        return wait

    def train_chunk(self) -> None:
        """Train for about CHUNK_SECONDS: whole epochs where they are short, else steps."""
        trainer = self.trainer
        start = self.clock()
        steps, elapsed = trainer.steps, 0.0
        while self.playing:
            per_step = self.seconds_per_step
            short_epoch = (
                per_step is not None and trainer.steps_per_epoch * per_step < CHUNK_SECONDS
            )
            self.advance(whole_epoch=self.at_epoch_start and short_epoch)
            elapsed = self.clock() - start
            if elapsed >= CHUNK_SECONDS:
                break
        if trainer.steps > steps:
            self.seconds_per_step = elapsed / (trainer.steps - steps)

    def train_paced(self) -> float:
        """The steps due at steps_per_second since play; returns the wait until the next."""
        rate = self.steps_per_second
        now = self.clock()
        due = math.floor((now - self.pace_start) * rate) + 1 - self.paced_steps
        if due > rate * MAX_BACKLOG_SECONDS + 1:  # the trainer cannot keep up: no burst
            self.restart_pace()
            due = 1
        deadline = now + CHUNK_SECONDS
        while due > 0 and self.playing and self.clock() < deadline:
            self.advance(whole_epoch=False)
            self.paced_steps += 1
            due -= 1
        return max(0.0, self.pace_start + self.paced_steps / rate - self.clock())

    def restart_pace(self) -> None:
        """Count paced steps from now (after play, a speed change or falling behind)."""
        self.pace_start = self.clock()
        self.paced_steps = 0

    def advance(self, whole_epoch: bool) -> None:
        """One step (or the rest of the epoch); stop on divergence or a stop condition."""
        trainer = self.trainer
        epoch = trainer.epoch
        if whole_epoch:
            trainer.run_epoch()
        else:
            trainer.step()
        self.at_epoch_start = trainer.epoch != epoch
        if self.at_epoch_start:
            self.scrubber.epoch_ended(trainer)
        if trainer.status == "diverged":
            self.set_playing(False)
            self.send_snapshot()
        elif self.at_epoch_start:
            self.check_stop()

    def check_stop(self) -> None:
        """Pause with status "max_epochs" or "target_loss" when a stop condition holds."""
        trainer = self.trainer
        if trainer.status == "diverged":
            self.set_playing(False, snapshot="")
        elif self.max_epochs is not None and trainer.epoch >= self.max_epochs:
            self.set_playing(
                False,
                "max_epochs",
                f"stopped after epoch {trainer.epoch}: "
                f"the maximum is {count(self.max_epochs, 'epochs')}",
            )
        elif (
            self.target_loss is not None and trainer.history.last("train_loss") <= self.target_loss
        ):
            loss = trainer.history.last("train_loss")
            self.set_playing(
                False,
                "target_loss",
                f"stopped after epoch {trainer.epoch}: the training loss {loss:.6g} "
                f"reached the target {self.target_loss:g}",
            )

"""Runs of the resonance-rate finder: each rate tried, how long, and how it was scored."""

from __future__ import annotations

from typing import TYPE_CHECKING

from trainer.session.clock import iso_utc, parse_iso_utc
from trainer.store.database import Database

if TYPE_CHECKING:  # the finder's own module: read with the runs, not with every store
    from trainer.session.resonance import ResonanceRun


class ResonanceTable:
    """The ``resonance_runs``, ``_steps`` and ``_scores`` tables: ``store.resonance.save_run``
    and ``store.resonance.runs``."""

    def __init__(self, database: Database) -> None:
        self._database = database
        self._db = database.db

    def save_run(self, profile_id: int, run: ResonanceRun) -> int:
        """Store a finder run with every step tried and its scores; return the run's id."""
        with self._database.transaction("save the resonance-rate run"):
            run_id = (
                self._db.table("resonance_runs")
                .insert(
                    {
                        "profile_id": profile_id,
                        "started_at": iso_utc(run.started_at),
                        "ended_at": iso_utc(run.ended_at) if run.ended_at else None,
                        "completed": int(run.completed),
                        "best_bpm": run.best_bpm(),
                    }
                )
                .last_pk
            )
            assert isinstance(run_id, int)
            self._db.table("resonance_steps").insert_all(
                {
                    "run_id": run_id,
                    "step_index": index,
                    "rate_bpm": step.rate_bpm,
                    "practised_s": step.practised_s,
                }
                for index, step in enumerate(run.steps)
            )
            self._db.table("resonance_scores").insert_all(
                {"run_id": run_id, "step_index": index, "criterion": criterion, "value": float(v)}
                for index, step in enumerate(run.steps)
                for criterion, v in sorted(step.scores.items())
            )
        return run_id

    def runs(self, profile_id: int) -> list[ResonanceRun]:
        """A profile's finder runs, newest first, with their steps and scores."""
        from trainer.session.resonance import ResonanceRun, StepResult

        with self._database.errors("read your resonance-rate runs"):
            runs = list(
                self._db.table("resonance_runs").rows_where(
                    "profile_id = ?", [profile_id], order_by="started_at DESC, id DESC"
                )
            )
            result = []
            for row in runs:
                steps = []
                for step in self._db["resonance_steps"].rows_where(
                    "run_id = ?", [row["id"]], order_by="step_index"
                ):
                    scores = {
                        score["criterion"]: score["value"]
                        for score in self._db["resonance_scores"].rows_where(
                            "run_id = ? AND step_index = ?", [row["id"], step["step_index"]]
                        )
                    }
                    steps.append(StepResult(step["rate_bpm"], step["practised_s"], scores))
                result.append(
                    ResonanceRun(
                        started_at=parse_iso_utc(row["started_at"]),
                        ended_at=parse_iso_utc(row["ended_at"]) if row["ended_at"] else None,
                        completed=bool(row["completed"]),
                        steps=tuple(steps),
                        run_id=row["id"],
                    )
                )
            return result

"""Run the retention sweep by hand: ``retention_sweep [--dry-run] [--rule NAME ...] [--json]``."""

import json

from django.core.management.base import BaseCommand, CommandError

from retention import engine, services
from retention.models import RetentionRun


class Command(BaseCommand):
    help = "Delete or anonymise every row whose retention period has run out (the nightly Celery job, by hand)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Change nothing; report what is due.")
        parser.add_argument(
            "--rule",
            action="append",
            dest="rules",
            metavar="NAME",
            help="Only this rule (a register rule key such as profiling_recorded, or a declaration key); repeatable.",
        )
        parser.add_argument("--json", action="store_true", help="Print the report as one JSON object.")
        parser.add_argument("--batch-size", type=int, default=None, help="Rows per batch (RETENTION_BATCH_SIZE).")

    def handle(self, *args, dry_run=False, rules=None, json=False, batch_size=None, **options):
        try:
            report = services.retention_sweep_run(rules=rules, dry_run=dry_run, batch_size=batch_size)
        except ValueError as error:
            raise CommandError(str(error)) from None
        data = report.as_dict() | {"undeclared_rules": engine.undeclared_rules()}
        if json:
            self.stdout.write(_dumps(data))
        else:
            self._print(data)
        if report.run.status == RetentionRun.Status.LOCKED:
            raise CommandError("Another retention sweep is running; nothing was done.")

    def _print(self, data: dict) -> None:
        mode = "dry run" if data["dry_run"] else "sweep"
        self.stdout.write(f"Retention {mode} #{data['run']}: {data['status']}")
        self.stdout.write(
            f"{'rule':<24} {'purpose':<7} {'model':<32}"
            f" {'due':>8} {'deleted':>8} {'anon.':>8} {'held':>6} {'errors':>6}"
        )
        for rule in data["rules"]:
            self.stdout.write(
                f"{rule['rule']:<24} {rule['purpose']:<7} {rule['model']:<32} {rule['due']:>8} {rule['deleted']:>8} "
                f"{rule['anonymised']:>8} {rule['skipped_by_hold']:>6} {rule['errors']:>6}"
                + (f"  FAILED: {rule['failure']}" if rule["failure"] else "")
            )
        if data["undeclared_rules"]:
            self.stdout.write("Rules without a declaration yet: " + ", ".join(data["undeclared_rules"]))


def _dumps(data: dict) -> str:
    return json.dumps(data, default=str, sort_keys=False)

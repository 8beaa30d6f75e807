"""The task outbox: Celery messages that could not reach the broker wait in the database until it is back.

``netrex.celery`` makes ``OutboxTask`` (``netrex/outbox/publishing.py``) the class of every task.  When
publishing fails with a broker connection error (Redis stopped or unreachable), the message (task
name, arguments, options and its task id) is written to ``OutboxMessage`` instead of being lost; the
periodic ``outbox_drain`` task, the worker's start-up and the next successful publish send the
waiting messages again, each exactly once (row lock, delete in the same transaction as the publish,
the original task id kept).
"""

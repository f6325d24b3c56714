"""Scale-out on Celery with Redis as broker and result backend (the `scale` extra).

celery_app.py: the Celery app and the task `signavatar.render_item` (one batch item, see
signavatar/jobs/batch_item.py); executor.py: CeleryExecutor, a concurrent.futures-like executor the
batch runner submits to; cli.py: `signavatar worker`. Nothing here is imported on one machine: the
local process pool stays the default, and celery is only needed once this package is used.
"""

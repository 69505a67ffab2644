"""Entry point of a task worker: `huey_consumer monitor.worker.huey -w 2 -k process`.

Like wsgi.py it only creates the app; workers on several machines share one Redis (REDIS_URL).
"""

from monitor import create_app

app = create_app()
huey = app.extensions["huey"]

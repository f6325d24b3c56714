"""The HTTP service: a thin FastAPI shell around signavatar.jobs (see api.app.create_app)."""

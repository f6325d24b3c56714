"""The subcommands of `signavatar` (signavatar/cli.py), one module each: they parse arguments and call
the stages, the pipeline, capture and jobs below them. Heavy stacks (scipy, MediaPipe, pyrender,
OpenCV, OpenGL, Celery) are imported inside the command functions, so `signavatar --help` and
`signavatar gloss` start without them."""

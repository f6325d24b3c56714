"""ClipRequest -> clip id, the content-addressed clip store, rendering a clip, the job queue."""

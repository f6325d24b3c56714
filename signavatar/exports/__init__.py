"""A PoseTrack as interchange files: `.pose` (pose-format, pose_file.py); glTF to come."""

"""A PoseTrack as interchange files: `.pose` (pose-format, pose_file.py); the avatar and a clip's
motion as glTF (.glb: gltf_avatar.py, gltf_motion.py; docs/formats/gltf.md)."""

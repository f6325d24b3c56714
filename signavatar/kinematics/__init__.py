"""Pure kinematics of the avatar, shared by the sequencer (gloss_to_pose) and retargeting (capture):
two-bone arm IK, handshapes -> finger rotations, and the MediaPipe hand points of the rig."""

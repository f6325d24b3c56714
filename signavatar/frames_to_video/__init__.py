"""frames -> files: ffmpeg encoders (mp4, webm, gif), WebVTT subtitles, poster image, probing."""

from signavatar.frames_to_video.encode import encode_video
from signavatar.frames_to_video.poster import write_poster
from signavatar.frames_to_video.webvtt import cues_from_labels, write_webvtt

__all__ = ["encode_video", "write_poster", "cues_from_labels", "write_webvtt"]

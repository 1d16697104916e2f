#!/usr/bin/env python3
"""The ffmpeg CLI equivalent of a composed Timeline, for bench/compose.

Reads the Timeline cutroom planned (timeline.json) and writes ffmpeg's arguments (one per line,
without the output file) that make the same video with stock filters:
  - each segment on a still picture: the picture looped at the frame rate; Ken Burns (crop
    keyframes with zoom) as zoompan, other segments scaled to cover the frame and cropped;
  - transitions as xfade (each segment lengthened by its transition, so the length matches);
  - overlays (slide text, logo) as overlay with a fade;
  - captions burned with the subtitles filter (libass) from cutroom's SRT;
  - audio tracks: narration and music looped, the music ducked with sidechaincompress, loudnorm
    to the Timeline's target; x264/AAC with the Timeline's settings.
usage: compose_graph.py TIMELINE.json CAPTIONS.srt ARGS_OUT
"""
import json
import sys
from fractions import Fraction


def seconds(v):
    return float(Fraction(str(v))) if not isinstance(v, (int, float)) else float(v)


def main():
    tl_path, srt_path, out_path = sys.argv[1:4]
    tl = json.load(open(tl_path))
    out = tl["output"]
    w, h = out["width"], out["height"]
    fps = Fraction(str(out["fps"]))
    src = {s["id"]: s for s in tl["sources"]}
    args, chains = [], []
    n_inputs = 0

    def add_input(*a):
        nonlocal n_inputs
        args.extend(a)
        n_inputs += 1
        return n_inputs - 1

    # Video: one labelled stream per segment, joined with xfade.
    seg_labels, seg_durs, trans = [], [], []
    for i, seg in enumerate(tl["segments"]):
        d = seconds(seg["out"]) - seconds(seg["in"])
        t = seg.get("transition", {"kind": "cut", "duration": 0})
        td = seconds(t.get("duration", 0)) if i > 0 and t.get("kind", "cut") != "cut" else 0.0
        trans.append((t.get("kind", "cut"), td))
        seg_durs.append(d)
    # Lengthen segment i by the next transition's duration so xfade's overlap keeps the length.
    for i, seg in enumerate(tl["segments"]):
        s = src[seg["source"]]
        extra = trans[i + 1][1] if i + 1 < len(trans) else 0.0
        length = seg_durs[i] + extra
        frames = max(1, round(length * fps))
        if s.get("kind") == "image":
            k = add_input("-loop", "1", "-framerate", str(fps), "-t", f"{length:.4f}", "-i", s["path"])
            crop = seg.get("crop", [])
            z0 = crop[0].get("zoom", 1) if crop else 1
            z1 = crop[-1].get("zoom", 1) if crop else 1
            cover = f"scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h}"
            if z0 != z1:
                zexpr = f"{z0}+({z1}-{z0})*on/{frames}"
                chains.append(f"[{k}:v]{cover},zoompan=z='{zexpr}':d=1:s={w}x{h}:fps={fps}:"
                              f"x='iw/2-(iw/zoom/2)':y='ih/2-(ih/zoom/2)',setsar=1,format=yuv420p[s{i}]")
            else:
                chains.append(f"[{k}:v]{cover},fps={fps},setsar=1,format=yuv420p[s{i}]")
        else:
            k = add_input("-ss", str(seconds(seg["in"])), "-t", f"{length:.4f}", "-i", s["path"])
            chains.append(f"[{k}:v]scale={w}:{h}:force_original_aspect_ratio=increase,crop={w}:{h},"
                          f"fps={fps},setsar=1,format=yuv420p[s{i}]")
        seg_labels.append(f"s{i}")
    cur, t_end = seg_labels[0], seg_durs[0]
    names = {"crossfade": "fade", "slide": "slideleft", "zoom": "zoomin"}
    for i in range(1, len(seg_labels)):
        kind, td = trans[i]
        if td > 0:
            chains.append(f"[{cur}][{seg_labels[i]}]xfade=transition={names.get(kind, 'fade')}:"
                          f"duration={td:.4f}:offset={t_end:.4f}[x{i}]")
        else:
            chains.append(f"[{cur}][{seg_labels[i]}]concat=n=2:v=1:a=0[x{i}]")
        cur, t_end = f"x{i}", t_end + seg_durs[i]
    # Overlays in order, then captions.
    for j, ov in enumerate(tl.get("overlays", [])):
        s = src[ov["source"]]
        start, end = seconds(ov["start"]), seconds(ov["end"])
        k = add_input("-loop", "1", "-framerate", str(fps), "-t", f"{end:.4f}", "-i", s["path"])
        ow = max(2, int(round(ov.get("width", 1) * w / 2)) * 2)
        anim = seconds(ov.get("animation_duration", 0))
        fade = f",fade=in:st={start:.3f}:d={anim:.3f}:alpha=1" if anim > 0 else ""
        chains.append(f"[{k}:v]scale={ow}:-2,format=rgba{fade}[o{j}]")
        x, y = int(ov.get("x", 0) * w), int(ov.get("y", 0) * h)
        chains.append(f"[{cur}][o{j}]overlay=x={x}:y={y}:enable='between(t,{start:.3f},{end:.3f})'[v{j}]")
        cur = f"v{j}"
    if tl.get("captions"):
        chains.append(f"[{cur}]subtitles={srt_path}:force_style='Fontsize=18,Outline=2'[vout]")
    else:
        chains.append(f"[{cur}]null[vout]")

    # Audio: voice and music tracks.
    total = sum(seg_durs)
    voices, musics = [], []
    for t in tl["audio"].get("tracks", []):
        s = src[t["source"]]
        at = seconds(t.get("at", 0))
        if t.get("loop"):
            k = add_input("-stream_loop", "-1", "-t", f"{total:.4f}", "-i", s["path"])
        else:
            k = add_input("-i", s["path"])
        label = f"a{k}"
        gain = t.get("gain_db", 0)
        chains.append(f"[{k}:a]aresample=48000,aformat=channel_layouts=stereo,volume={gain}dB,"
                      f"adelay={int(at * 1000)}:all=1,apad=whole_dur={total:.4f}[{label}]")
        (voices if t.get("role") == "voice" else musics).append(label)
    if voices and musics:
        chains.append(f"[{voices[0]}]asplit=2[vmix][vkey]")
        chains.append(f"[{musics[0]}][vkey]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=300[ducked]")
        chains.append("[vmix][ducked]amix=inputs=2:normalize=0[mix]")
    elif voices:
        chains.append(f"[{voices[0]}]anull[mix]")
    else:
        chains.append("anullsrc=r=48000:cl=stereo[mix]")
    target = tl["audio"].get("loudness_target_lufs", -14)
    chains.append(f"[mix]loudnorm=I={target}:TP=-1,aresample=48000[aout]")

    video = out.get("video", {})
    args += ["-filter_complex", ";".join(chains), "-map", "[vout]", "-map", "[aout]",
             "-t", f"{total:.4f}",
             "-c:v", "libx264", "-preset", video.get("preset", "veryfast"),
             "-crf", str(video.get("crf", 23)), "-profile:v", video.get("profile", "high"),
             "-pix_fmt", "yuv420p", "-r", str(fps),
             "-c:a", "aac", "-b:a", "128k", "-ar", "48000", "-ac", "2", "-movflags", "+faststart"]
    with open(out_path, "w") as f:
        f.write("\n".join(args) + "\n")


if __name__ == "__main__":
    main()

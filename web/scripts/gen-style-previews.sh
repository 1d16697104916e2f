#!/usr/bin/env bash
# Regenerates web/public/styles/<style>.png: one frame of the sample talk rendered by the real
# renderer with each caption style. Run once from anywhere; needs build/release/cli/cutroom,
# python3 and ffmpeg. The PNGs are committed; the build does not run this.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cutroom="$root/build/release/cli/cutroom"
out="$root/web/public/styles"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
"$cutroom" sample -o "$tmp" >/dev/null
for style in highlight_word karaoke pop_in bounce boxed_word minimal; do
  python3 - "$tmp/clip.timeline.json" "$tmp/$style.timeline.json" "$style" <<'PY'
import json, sys
src, dst, style = sys.argv[1:4]
t = json.load(open(src))
t["output"]["width"], t["output"]["height"] = 360, 640
t["segments"] = [dict(t["segments"][0], out="2.5")]
t["segments"][0]["crop"] = [k for k in t["segments"][0]["crop"] if float(k["t"]) <= 2.5]
t["captions"]["style"] = style
t["captions"]["words"] = [w for w in t["captions"]["words"] if float(w["end"]) <= 2.5]
json.dump(t, open(dst, "w"))
PY
  "$cutroom" render "$tmp/$style.timeline.json" -o "$tmp/$style.mp4" --threads 2 >/dev/null
  ffmpeg -loglevel error -y -ss 1.75 -i "$tmp/$style.mp4" -frames:v 1 \
    -vf "crop=360:300:0:300,scale=180:150" "$tmp/$style.png"
  # A palette PNG: a few KB each.
  ffmpeg -loglevel error -y -i "$tmp/$style.png" -vf "split[a][b];[a]palettegen=max_colors=64[p];[b][p]paletteuse" "$out/$style.png"
  echo "wrote $out/$style.png ($(stat -c %s "$out/$style.png") bytes)"
done

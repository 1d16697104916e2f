import { Download } from "lucide-react";
import type { Clip } from "@/api/types";
import { buttonVariants } from "@/components/ui/button";

export function Downloads({ clip }: { clip: Clip }) {
  const items: { href: string; label: string; hint: string }[] = [
    { href: `${clip.urls.video}?download=1`, label: "MP4", hint: "the video" },
    { href: clip.urls.srt, label: "SRT", hint: "captions" },
    { href: clip.urls.vtt, label: "VTT", hint: "captions" },
    { href: clip.urls.ass, label: "ASS", hint: "styled captions" },
    { href: clip.urls.fcpxml, label: "FCPXML", hint: "Final Cut Pro" },
    { href: clip.urls.edl, label: "EDL", hint: "CMX 3600" },
    { href: clip.urls.otio, label: "OTIO", hint: "OpenTimelineIO" },
    { href: clip.urls.thumbnail, label: "JPEG", hint: "thumbnail" },
  ];
  return (
    <ul className="flex flex-wrap gap-2" aria-label="Downloads">
      {items.map((i) => (
        <li key={i.label}>
          <a href={i.href} download className={buttonVariants({ variant: "outline", size: "sm" })} title={i.hint}>
            <Download aria-hidden /> {i.label}
            <span className="sr-only"> ({i.hint})</span>
          </a>
        </li>
      ))}
    </ul>
  );
}

import { useEffect, useState, type RefObject } from "react";

/** The media element's currentTime: every animation frame while playing, and on seeks. */
export function useMediaTime(ref: RefObject<HTMLMediaElement | null>, src?: string): number {
  const [time, setTime] = useState(0);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    let frame = 0;
    const read = () => setTime(el.currentTime);
    const loop = () => {
      read();
      frame = requestAnimationFrame(loop);
    };
    const onPlay = () => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(loop);
    };
    const onStop = () => {
      cancelAnimationFrame(frame);
      read();
    };
    el.addEventListener("play", onPlay);
    el.addEventListener("pause", onStop);
    el.addEventListener("ended", onStop);
    el.addEventListener("seeked", read);
    el.addEventListener("timeupdate", read);
    el.addEventListener("loadedmetadata", read);
    if (!el.paused) onPlay();
    return () => {
      cancelAnimationFrame(frame);
      el.removeEventListener("play", onPlay);
      el.removeEventListener("pause", onStop);
      el.removeEventListener("ended", onStop);
      el.removeEventListener("seeked", read);
      el.removeEventListener("timeupdate", read);
      el.removeEventListener("loadedmetadata", read);
    };
  }, [ref, src]);
  return time;
}

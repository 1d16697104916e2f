import { useEffect, useRef, useState } from "react";
import { addSample, estimateEtaSeconds, type ProgressSample } from "./eta";

/** Seconds left for a fraction that grows while `active`, from its observed rate; null: unknown. */
export function useEta(fraction: number, active: boolean, now: () => number = Date.now): number | null {
  const samples = useRef<ProgressSample[]>([]);
  const [eta, setEta] = useState<number | null>(null);
  useEffect(() => {
    if (!active) {
      samples.current = [];
      setEta(null);
      return;
    }
    samples.current = addSample(samples.current, { t: now(), f: fraction });
    setEta(estimateEtaSeconds(samples.current, now()));
  }, [fraction, active, now]);
  useEffect(() => {
    if (!active) return;
    const id = setInterval(() => {
      samples.current = addSample(samples.current, { t: now(), f: samples.current.at(-1)?.f ?? 0 });
      setEta(estimateEtaSeconds(samples.current, now()));
    }, 1000);
    return () => clearInterval(id);
  }, [active, now]);
  return eta;
}

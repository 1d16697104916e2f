import { CAPTION_STYLES, type CaptionStyle } from "@/api/types";
import { RadioGroup, RadioGroupItem } from "@/components/ui/radio-group";
import { cn } from "@/lib/utils";

/** Caption styles as radio cards, each with a frame rendered by the real renderer. */
export function CaptionStylePicker({
  value,
  onChange,
  labelledBy,
  disabled,
  compact,
}: {
  value: CaptionStyle | "";
  onChange: (v: CaptionStyle) => void;
  labelledBy: string;
  disabled?: boolean;
  compact?: boolean;
}) {
  return (
    <RadioGroup
      value={value}
      onValueChange={(v) => onChange(v as CaptionStyle)}
      aria-labelledby={labelledBy}
      disabled={disabled}
      className={cn("grid grid-cols-2 gap-3", compact ? "sm:grid-cols-3" : "sm:grid-cols-3 lg:grid-cols-6")}
    >
      {CAPTION_STYLES.map((s) => (
        <RadioGroupItem
          key={s.value}
          value={s.value}
          aria-label={s.label}
          data-testid={`caption-style-${s.value}`}
          className="group flex flex-col gap-1.5 rounded-lg border bg-card p-2 text-left transition-colors hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring disabled:opacity-50 data-[state=checked]:border-primary data-[state=checked]:ring-2 data-[state=checked]:ring-primary"
        >
          <img
            src={`/styles/${s.value}.png`}
            alt=""
            width={180}
            height={150}
            loading="lazy"
            className="aspect-[6/5] w-full rounded bg-muted object-cover"
          />
          <span className="text-sm font-medium">{s.label}</span>
          <span className="text-xs text-muted-foreground">{s.hint}</span>
        </RadioGroupItem>
      ))}
    </RadioGroup>
  );
}

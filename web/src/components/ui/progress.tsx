import * as ProgressPrimitive from "@radix-ui/react-progress";
import { forwardRef, type ComponentPropsWithoutRef, type ElementRef } from "react";
import { cn } from "@/lib/utils";

interface Props extends ComponentPropsWithoutRef<typeof ProgressPrimitive.Root> {
  /** 0..100 */
  value: number;
  indicatorClassName?: string;
  striped?: boolean;
}

export const Progress = forwardRef<ElementRef<typeof ProgressPrimitive.Root>, Props>(
  ({ className, value, indicatorClassName, striped, ...props }, ref) => {
    const v = Math.max(0, Math.min(100, value));
    return (
      <ProgressPrimitive.Root
        ref={ref}
        value={v}
        max={100}
        className={cn("relative h-2 w-full overflow-hidden rounded-full bg-secondary", className)}
        {...props}
      >
        <ProgressPrimitive.Indicator
          className={cn(
            "h-full w-full flex-1 bg-primary transition-transform duration-300",
            striped && "progress-striped animate-progress-stripes",
            indicatorClassName,
          )}
          style={{ transform: `translateX(-${100 - v}%)` }}
        />
      </ProgressPrimitive.Root>
    );
  },
);
Progress.displayName = "Progress";

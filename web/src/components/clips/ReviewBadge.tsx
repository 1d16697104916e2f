import { Check, X } from "lucide-react";
import type { Review } from "@/api/types";
import { Badge } from "@/components/ui/badge";
import { humanize } from "@/lib/format";

export function ReviewBadge({ review }: { review: Review | null | undefined }) {
  if (!review) return <Badge variant="secondary">Not reviewed</Badge>;
  if (review.decision === "approve")
    return (
      <Badge variant="success">
        <Check className="h-3 w-3" aria-hidden /> Approved
      </Badge>
    );
  return (
    <Badge variant="destructive">
      <X className="h-3 w-3" aria-hidden /> Rejected{review.reason ? `: ${humanize(review.reason)}` : ""}
    </Badge>
  );
}

export function scoreVariant(score: number): string {
  if (score >= 70) return "text-success";
  if (score >= 45) return "text-warning";
  return "text-destructive";
}

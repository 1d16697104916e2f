import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Check, X } from "lucide-react";
import { useState } from "react";
import { api } from "@/api/endpoints";
import { keys, useReviews } from "@/api/queries";
import { REJECT_REASONS, type Clip, type CreateReviewRequest, type RejectReason } from "@/api/types";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { toast } from "@/components/ui/toast";
import { formatAgo, humanize } from "@/lib/format";
import { ReviewBadge } from "./ReviewBadge";

export function ReviewPanel({ workspace, clip, canEdit }: { workspace: number; clip: Clip; canEdit: boolean }) {
  const qc = useQueryClient();
  const reviews = useReviews(workspace, clip.id);
  const [reason, setReason] = useState<RejectReason | "">("");
  const [comment, setComment] = useState("");
  const [reasonError, setReasonError] = useState("");

  const review = useMutation({
    mutationFn: (body: CreateReviewRequest) => api.addReview(workspace, clip.id, body),
    onSuccess: (r) => {
      toast({
        title: r.decision === "approve" ? `Clip ${clip.index} approved` : `Clip ${clip.index} rejected`,
        variant: "success",
      });
      setComment("");
      setReason("");
      void qc.invalidateQueries({ queryKey: keys.clip(workspace, clip.id) });
      void qc.invalidateQueries({ queryKey: keys.reviews(workspace, clip.id) });
      void qc.invalidateQueries({ queryKey: keys.clips(workspace, clip.job_id) });
    },
  });

  function decide(decision: "approve" | "reject") {
    setReasonError("");
    if (decision === "reject" && !reason) {
      setReasonError("Choose why the clip is rejected.");
      return;
    }
    const body: CreateReviewRequest = { decision };
    if (decision === "reject") body.reason = reason as RejectReason;
    if (comment.trim()) body.comment = comment.trim();
    review.mutate(body);
  }

  return (
    <div className="grid gap-4">
      <div className="flex items-center gap-2 text-sm">
        <span className="text-muted-foreground">Decision:</span>
        <span data-testid="review-state">
          <ReviewBadge review={clip.review} />
        </span>
      </div>
      {canEdit ? (
        <div className="grid gap-3">
          <div className="grid gap-1.5">
            <Label htmlFor="reject-reason">Reason (to reject)</Label>
            <Select value={reason} onValueChange={(v) => setReason(v as RejectReason)}>
              <SelectTrigger
                id="reject-reason"
                aria-invalid={!!reasonError}
                aria-describedby={reasonError ? "reject-reason-error" : undefined}
              >
                <SelectValue placeholder="Choose a reason" />
              </SelectTrigger>
              <SelectContent>
                {REJECT_REASONS.map((r) => (
                  <SelectItem key={r.value} value={r.value}>
                    {r.label}
                  </SelectItem>
                ))}
              </SelectContent>
            </Select>
            {reasonError && (
              <p id="reject-reason-error" className="text-xs text-destructive" role="alert">
                {reasonError}
              </p>
            )}
          </div>
          <div className="grid gap-1.5">
            <Label htmlFor="review-comment">Comment (optional)</Label>
            <Textarea
              id="review-comment"
              value={comment}
              maxLength={5000}
              onChange={(e) => setComment(e.target.value)}
              placeholder="What should change, or why it works"
            />
          </div>
          <div className="flex flex-wrap gap-2">
            <Button variant="success" disabled={review.isPending} onClick={() => decide("approve")}>
              <Check aria-hidden /> Approve
            </Button>
            <Button variant="destructive" disabled={review.isPending} onClick={() => decide("reject")}>
              <X aria-hidden /> Reject
            </Button>
          </div>
          {review.isError && <ErrorAlert error={review.error} title="The review was not saved" />}
        </div>
      ) : (
        <p className="text-sm text-muted-foreground">Reviewing needs the editor role.</p>
      )}
      {reviews.isError && <ErrorAlert error={reviews.error} title="Cannot load the review history" />}
      {reviews.data && reviews.data.items.length > 0 && (
        <div className="grid gap-2">
          <h3 className="text-sm font-medium">History</h3>
          <ol className="grid gap-2 text-sm" aria-label="Review history">
            {[...reviews.data.items].reverse().map((r) => (
              <li key={r.id} className="rounded-md border p-2">
                <span className={r.decision === "approve" ? "text-success" : "text-destructive"}>
                  {r.decision === "approve" ? "Approved" : `Rejected: ${humanize(r.reason)}`}
                </span>
                <span className="text-xs text-muted-foreground"> · user {r.user_id} · {formatAgo(r.created_at_ms)}</span>
                {r.comment && <p className="mt-1 whitespace-pre-wrap text-muted-foreground">{r.comment}</p>}
              </li>
            ))}
          </ol>
        </div>
      )}
    </div>
  );
}

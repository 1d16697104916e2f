import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Palette, Plus, Trash2 } from "lucide-react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { ApiError } from "@/api/client";
import { api } from "@/api/endpoints";
import { keys, useBrands, useUploads } from "@/api/queries";
import { ASPECTS, type Brand } from "@/api/types";
import { uploadFile, type UploadHandle } from "@/api/upload";
import { CaptionStylePicker } from "@/components/CaptionStylePicker";
import { ErrorAlert, Notice } from "@/components/ui/alert";
import { ConfirmDialog } from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog, DialogContent, DialogDescription, DialogFooter, DialogHeader, DialogTitle } from "@/components/ui/dialog";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Progress } from "@/components/ui/progress";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Skeleton } from "@/components/ui/spinner";
import { Switch } from "@/components/ui/switch";
import { toast, toastError } from "@/components/ui/toast";
import { brandToForm, COLOR_KEYS, formToSettings, isHexColor, type BrandErrors, type BrandForm } from "@/lib/brandForm";
import { humanize } from "@/lib/format";
import { useWorkspace } from "@/lib/workspace";
import { cn } from "@/lib/utils";

const FONTS = ["DejaVu Sans", "DejaVu Serif", "Liberation Sans", "Noto Sans", "Inter", "Roboto", "Montserrat", "Open Sans"];

export function BrandsPage() {
  const { workspace, canEdit, isAdmin } = useWorkspace();
  const w = workspace.id;
  const brands = useBrands(w);
  const [selected, setSelected] = useState<number | null>(null);
  const [creating, setCreating] = useState(false);
  const list = brands.data?.items ?? [];
  const current = list.find((b) => b.id === selected) ?? list[0];

  return (
    <div className="grid gap-6">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Brands</h1>
          <p className="text-sm text-muted-foreground">Brand kits: colours, font, logo and the defaults of new jobs.</p>
        </div>
        {canEdit && (
          <Button onClick={() => setCreating(true)}>
            <Plus aria-hidden /> New brand
          </Button>
        )}
      </div>
      {brands.isError && <ErrorAlert error={brands.error} title="Cannot load the brands" />}
      {brands.isPending && <Skeleton className="h-64" />}
      {brands.isSuccess && list.length === 0 && (
        <div className="rounded-lg border border-dashed p-10 text-center">
          <Palette className="mx-auto h-8 w-8 text-muted-foreground" aria-hidden />
          <h2 className="mt-2 font-semibold">No brands yet</h2>
          <p className="text-sm text-muted-foreground">A brand kit keeps the look and the job defaults of one channel.</p>
        </div>
      )}
      {list.length > 0 && current && (
        <div className="grid gap-6 md:grid-cols-[14rem_minmax(0,1fr)]">
          <nav aria-label="Brands">
            <ul className="grid gap-1">
              {list.map((b) => (
                <li key={b.id}>
                  <button
                    type="button"
                    onClick={() => setSelected(b.id)}
                    aria-current={b.id === current.id ? "true" : undefined}
                    className={cn(
                      "flex w-full items-center gap-2 rounded-md px-3 py-2 text-left text-sm hover:bg-accent focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
                      b.id === current.id && "bg-accent font-medium",
                    )}
                  >
                    <span
                      aria-hidden
                      className="h-4 w-4 shrink-0 rounded-full border"
                      style={{ background: b.settings.colors?.primary ?? "transparent" }}
                    />
                    <span className="truncate">{b.name}</span>
                  </button>
                </li>
              ))}
            </ul>
          </nav>
          <BrandEditor key={`${current.id}-${current.updated_at_ms}`} brand={current} canEdit={canEdit} canDelete={isAdmin} />
        </div>
      )}
      <CreateBrandDialog open={creating} onOpenChange={setCreating} onCreated={(b) => setSelected(b.id)} />
    </div>
  );
}

function CreateBrandDialog({
  open,
  onOpenChange,
  onCreated,
}: {
  open: boolean;
  onOpenChange: (o: boolean) => void;
  onCreated: (b: Brand) => void;
}) {
  const { workspace } = useWorkspace();
  const qc = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation({
    mutationFn: () => api.createBrand(workspace.id, name.trim(), {}),
    onSuccess: (b) => {
      void qc.invalidateQueries({ queryKey: keys.brands(workspace.id) });
      onCreated(b);
      onOpenChange(false);
      setName("");
    },
  });
  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogContent>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            create.mutate();
          }}
        >
          <DialogHeader>
            <DialogTitle>New brand</DialogTitle>
            <DialogDescription>Name it; set its colours and defaults next.</DialogDescription>
          </DialogHeader>
          <div className="grid gap-1.5">
            <Label htmlFor="new-brand-name">Name</Label>
            <Input id="new-brand-name" required maxLength={100} value={name} onChange={(e) => setName(e.target.value)} />
          </div>
          {create.isError && <ErrorAlert error={create.error} title="The brand was not created" />}
          <DialogFooter>
            <Button variant="outline" onClick={() => onOpenChange(false)}>
              Cancel
            </Button>
            <Button type="submit" disabled={!name.trim() || create.isPending}>
              Create brand
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}

function BrandEditor({ brand, canEdit, canDelete }: { brand: Brand; canEdit: boolean; canDelete: boolean }) {
  const { workspace } = useWorkspace();
  const w = workspace.id;
  const qc = useQueryClient();
  const uploads = useUploads(w);
  const [form, setForm] = useState<BrandForm>(() => brandToForm(brand.name, brand.settings));
  const [errors, setErrors] = useState<BrandErrors>({});
  const set = <K extends keyof BrandForm>(k: K, v: BrandForm[K]) => setForm((f) => ({ ...f, [k]: v }));

  const save = useMutation({
    mutationFn: (s: NonNullable<ReturnType<typeof formToSettings>["settings"]>) => api.updateBrand(w, brand.id, form.name.trim(), s),
    onSuccess: () => {
      toast({ title: `${form.name} saved`, variant: "success" });
      void qc.invalidateQueries({ queryKey: keys.brands(w) });
    },
  });
  const remove = useMutation({
    mutationFn: () => api.deleteBrand(w, brand.id),
    onSuccess: () => {
      toast({ title: `${brand.name} deleted` });
      void qc.invalidateQueries({ queryKey: keys.brands(w) });
    },
    onError: (e) => toastError(`Could not delete ${brand.name}`, e),
  });

  function submit(e: FormEvent) {
    e.preventDefault();
    const r = formToSettings(form, brand.settings);
    setErrors(r.errors ?? {});
    if (r.settings) save.mutate(r.settings);
  }

  const logo = uploads.data?.items.find((u) => u.id === form.logo_upload_id);
  const disabled = !canEdit;
  return (
    <Card>
      <CardHeader className="flex-row items-center justify-between gap-2 space-y-0">
        <CardTitle>{brand.name}</CardTitle>
        {canDelete && (
          <ConfirmDialog
            trigger={
              <Button variant="ghost" size="sm" disabled={remove.isPending}>
                <Trash2 aria-hidden /> Delete
              </Button>
            }
            title={`Delete ${brand.name}?`}
            description="Jobs already made with it keep their look; new jobs can no longer use it."
            confirmLabel="Delete brand"
            onConfirm={() => remove.mutate()}
          />
        )}
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid gap-6" noValidate aria-label={`Brand kit ${brand.name}`}>
          <fieldset disabled={disabled} className="grid gap-4 sm:grid-cols-3">
            <TextField id="brand-name" label="Name" value={form.name} onChange={(v) => set("name", v)} error={errors.name} />
            <TextField id="brand-niche" label="Niche" value={form.niche} onChange={(v) => set("niche", v)} placeholder="B2B SaaS, cooking, fitness…" />
            <div className="grid gap-1.5">
              <Label htmlFor="brand-font">Font</Label>
              <Input id="brand-font" list="brand-fonts" value={form.font} maxLength={200} onChange={(e) => set("font", e.target.value)} placeholder="DejaVu Sans" />
              <datalist id="brand-fonts">
                {FONTS.map((f) => (
                  <option key={f} value={f} />
                ))}
              </datalist>
            </div>
          </fieldset>

          <fieldset disabled={disabled} className="grid gap-3">
            <legend className="mb-2 text-sm font-semibold">Colours</legend>
            <div className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
              {COLOR_KEYS.map((k) => (
                <div key={k} className="grid gap-1.5">
                  <Label htmlFor={`color-${k}`}>{humanize(k)}</Label>
                  <div className="flex items-center gap-2">
                    <input
                      type="color"
                      aria-label={`${humanize(k)} colour picker`}
                      value={isHexColor(form.colors[k]) ? form.colors[k].toLowerCase() : "#000000"}
                      onChange={(e) => set("colors", { ...form.colors, [k]: e.target.value.toUpperCase() })}
                      className="h-9 w-10 cursor-pointer rounded-md border border-input bg-background p-1"
                    />
                    <Input
                      id={`color-${k}`}
                      value={form.colors[k]}
                      maxLength={7}
                      aria-invalid={!!errors[`color_${k}`]}
                      onChange={(e) => set("colors", { ...form.colors, [k]: e.target.value })}
                      className="font-mono"
                    />
                  </div>
                  {errors[`color_${k}`] && <p className="text-xs text-destructive">{errors[`color_${k}`]}</p>}
                </div>
              ))}
            </div>
            <div
              className="flex h-16 items-center justify-center rounded-md border text-lg font-bold"
              style={{ background: isHexColor(form.colors.background) ? form.colors.background : undefined }}
              aria-hidden
            >
              <span style={{ color: isHexColor(form.colors.text) ? form.colors.text : undefined, fontFamily: form.font || undefined }}>
                A caption with the{" "}
                <span
                  className="rounded px-1"
                  style={{
                    background: isHexColor(form.colors.primary) ? form.colors.primary : undefined,
                  }}
                >
                  spoken
                </span>{" "}
                <span style={{ color: isHexColor(form.colors.secondary) ? form.colors.secondary : undefined }}>word</span>
              </span>
            </div>
          </fieldset>

          <LogoField
            workspace={w}
            disabled={disabled}
            logoId={form.logo_upload_id}
            logoName={logo?.filename}
            onChange={(id) => set("logo_upload_id", id)}
          />

          <fieldset disabled={disabled} className="grid gap-4">
            <legend className="mb-2 text-sm font-semibold">Defaults of new jobs</legend>
            <div className="grid gap-4 sm:grid-cols-3 lg:grid-cols-6">
              <div className="grid gap-1.5 sm:col-span-1 lg:col-span-2">
                <Label htmlFor="brand-aspect">Aspect</Label>
                <Select value={form.aspect || "none"} onValueChange={(v) => set("aspect", v === "none" ? "" : (v as BrandForm["aspect"]))}>
                  <SelectTrigger id="brand-aspect">
                    <SelectValue />
                  </SelectTrigger>
                  <SelectContent>
                    <SelectItem value="none">Not set (9:16)</SelectItem>
                    {ASPECTS.map((a) => (
                      <SelectItem key={a.value} value={a.value}>
                        {a.label}
                      </SelectItem>
                    ))}
                  </SelectContent>
                </Select>
              </div>
              <TextField id="brand-clips" label="Clips" type="number" value={form.clips} onChange={(v) => set("clips", v)} error={errors.clips} />
              <TextField id="brand-min" label="Shortest (s)" type="number" value={form.min_s} onChange={(v) => set("min_s", v)} error={errors.min_s} />
              <TextField id="brand-max" label="Longest (s)" type="number" value={form.max_s} onChange={(v) => set("max_s", v)} error={errors.max_s} />
              <TextField id="brand-min-score" label="Minimum score" type="number" value={form.min_score} onChange={(v) => set("min_score", v)} error={errors.min_score} />
            </div>
            <div className="flex items-center gap-3">
              <Switch id="brand-auto-approve" checked={form.auto_approve} onCheckedChange={(v) => set("auto_approve", v)} />
              <Label htmlFor="brand-auto-approve">Approve clips at or above the minimum score automatically</Label>
            </div>
            <div className="grid gap-2">
              <span id="brand-style-label" className="text-sm font-medium">
                Caption style {form.caption_style === "" && <span className="font-normal text-muted-foreground">(not set: highlight word)</span>}
              </span>
              <CaptionStylePicker value={form.caption_style} onChange={(v) => set("caption_style", v)} labelledBy="brand-style-label" disabled={disabled} />
            </div>
          </fieldset>

          {save.isError && <ErrorAlert error={save.error} title="The brand was not saved" />}
          {Object.keys(errors).length > 0 && (
            <p role="alert" className="text-sm text-destructive">
              Fix the fields marked above.
            </p>
          )}
          {canEdit ? (
            <Button type="submit" className="justify-self-start" disabled={save.isPending}>
              {save.isPending ? "Saving…" : "Save brand"}
            </Button>
          ) : (
            <Notice>Editing brands needs the editor role.</Notice>
          )}
        </form>
      </CardContent>
    </Card>
  );
}

function TextField({
  id,
  label,
  value,
  onChange,
  error,
  type = "text",
  placeholder,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (v: string) => void;
  error?: string;
  type?: string;
  placeholder?: string;
}) {
  return (
    <div className="grid gap-1.5">
      <Label htmlFor={id}>{label}</Label>
      <Input
        id={id}
        type={type}
        value={value}
        placeholder={placeholder}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={!!error}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {error && (
        <p id={`${id}-error`} className="text-xs text-destructive">
          {error}
        </p>
      )}
    </div>
  );
}

/** The logo is an upload of the workspace (the server checks the id); any image FFmpeg reads. */
function LogoField({
  workspace,
  disabled,
  logoId,
  logoName,
  onChange,
}: {
  workspace: number;
  disabled: boolean;
  logoId: number | null;
  logoName?: string;
  onChange: (id: number | null) => void;
}) {
  const qc = useQueryClient();
  const [progress, setProgress] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const handle = useRef<UploadHandle | null>(null);
  useEffect(() => () => handle.current?.abort(), []);

  function start(file: File) {
    setError(null);
    setProgress(0);
    const h = uploadFile(workspace, file, (p) => setProgress(p.total ? (p.loaded / p.total) * 100 : 0));
    handle.current = h;
    h.promise.then(
      (u) => {
        setProgress(null);
        onChange(u.id);
        void qc.invalidateQueries({ queryKey: keys.uploads(workspace) });
      },
      (e: unknown) => {
        setProgress(null);
        if (!(e instanceof ApiError && e.code === "aborted")) setError(e);
      },
    );
  }

  return (
    <fieldset disabled={disabled} className="grid gap-2">
      <legend className="mb-2 text-sm font-semibold">Logo</legend>
      <p className="text-sm text-muted-foreground">
        {logoId != null ? (
          <>
            Upload #{logoId}
            {logoName && ` (${logoName})`}{" "}
            <Button variant="link" size="sm" className="h-auto p-0" onClick={() => onChange(null)}>
              Remove
            </Button>
          </>
        ) : (
          "No logo."
        )}
      </p>
      <div className="flex flex-wrap items-center gap-3">
        <Label htmlFor="brand-logo" className="sr-only">
          Logo file
        </Label>
        <input
          id="brand-logo"
          type="file"
          accept="image/png,image/jpeg,image/webp"
          className="text-sm file:mr-3 file:rounded-md file:border-0 file:bg-secondary file:px-3 file:py-1.5 file:text-sm file:font-medium"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (f) start(f);
            e.target.value = "";
          }}
        />
        {progress != null && (
          <>
            <Progress value={progress} aria-label="Logo upload progress" className="w-40" />
            <Button variant="outline" size="sm" onClick={() => handle.current?.abort()}>
              Cancel
            </Button>
          </>
        )}
      </div>
      {error != null && <ErrorAlert error={error} title="The logo was not uploaded" />}
    </fieldset>
  );
}

// File upload with progress and cancel: POST .../uploads?filename=NAME with the raw file as the
// body, through XMLHttpRequest (fetch has no upload progress). The server streams the body to disk.
import { ApiError, errorFromResponse, getCsrfToken, reportUnauthenticated } from "./client";
import { ws } from "./endpoints";
import type { Upload } from "./types";

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadHandle {
  promise: Promise<Upload>;
  abort: () => void;
}

export function uploadFile(
  workspace: number,
  file: File,
  onProgress: (p: UploadProgress) => void,
  makeXhr: () => XMLHttpRequest = () => new XMLHttpRequest(),
): UploadHandle {
  const xhr = makeXhr();
  const promise = new Promise<Upload>((resolve, reject) => {
    xhr.open("POST", `${ws(workspace)}/uploads?filename=${encodeURIComponent(file.name)}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader("Content-Type", "application/octet-stream");
    xhr.setRequestHeader("Accept", "application/json");
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader("X-CSRF-Token", csrf);
    xhr.upload.onprogress = (e: ProgressEvent) => {
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    };
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve(JSON.parse(xhr.responseText) as Upload);
        } catch {
          reject(new ApiError(xhr.status, "bad_response", "The server sent a response that is not JSON"));
        }
        return;
      }
      const error = errorFromResponse(xhr.status, xhr.statusText, xhr.responseText, xhr.getResponseHeader("X-Request-Id") ?? "");
      if (error.unauthenticated) reportUnauthenticated(error);
      reject(error);
    };
    xhr.onerror = () => reject(new ApiError(0, "network", "The upload failed: the connection to the server was lost"));
    xhr.onabort = () => reject(new ApiError(0, "aborted", "Upload cancelled"));
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

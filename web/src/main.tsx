import { QueryClientProvider } from "@tanstack/react-query";
import { RouterProvider } from "@tanstack/react-router";
import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { setCsrfToken, setUnauthenticatedHandler } from "@/api/client";
import { keys, makeQueryClient } from "@/api/queries";
import { ThemeProvider } from "@/lib/theme";
import { makeRouter } from "@/router";
import "./index.css";

const queryClient = makeQueryClient();
const router = makeRouter(queryClient);

// A session that ends while the app is open (expired, signed out elsewhere): back to the login
// page, saying why, then back to where the user was. The first visit without a session is
// redirected by the router instead (no "expired" message).
let redirecting = false;
setUnauthenticatedHandler(() => {
  const hadSession = queryClient.getQueryData(keys.me) !== undefined;
  if (!hadSession || redirecting || router.state.location.pathname === "/login") return;
  redirecting = true;
  const here = router.state.location.href;
  setCsrfToken("");
  queryClient.clear();
  void router.navigate({ to: "/login", search: { redirect: here, expired: true } }).finally(() => {
    redirecting = false;
  });
});

createRoot(document.getElementById("root")!).render(
  <StrictMode>
    <ThemeProvider>
      <QueryClientProvider client={queryClient}>
        <RouterProvider router={router} />
      </QueryClientProvider>
    </ThemeProvider>
  </StrictMode>,
);

import { screen, waitFor } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { describe, expect, it, vi } from "vitest";
import { getCsrfToken, setCsrfToken } from "@/api/client";
import { LoginForm } from "@/routes/LoginPage";
import { apiError, json, mockFetch, renderWithProviders } from "@/test/utils";

describe("LoginForm", () => {
  it("shows the API's message for a wrong password", async () => {
    const user = userEvent.setup();
    mockFetch({ "POST /api/v1/auth/login": () => apiError(401, "invalid_credentials", "wrong e-mail or password") });
    const onSignedIn = vi.fn();
    renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText("E-mail"), "a@b.c");
    await user.type(screen.getByLabelText("Password"), "nope");
    await user.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("wrong e-mail or password");
    expect(screen.getByRole("alert")).toHaveTextContent("request req_test");
    expect(onSignedIn).not.toHaveBeenCalled();
  });

  it("keeps the CSRF token of the new session and reports success", async () => {
    const user = userEvent.setup();
    setCsrfToken("");
    const { calls } = mockFetch({
      "POST /api/v1/auth/login": () =>
        json({ token: "t", csrf_token: "csrf-new", expires_at_ms: 1, user: { id: 1, email: "a@b.c", name: "A", created_at_ms: 0 } }),
    });
    const onSignedIn = vi.fn();
    renderWithProviders(<LoginForm onSignedIn={onSignedIn} />);
    await user.type(screen.getByLabelText("E-mail"), " a@b.c ");
    await user.type(screen.getByLabelText("Password"), "pw");
    await user.keyboard("{Enter}");
    await waitFor(() => expect(onSignedIn).toHaveBeenCalled());
    expect(getCsrfToken()).toBe("csrf-new");
    expect(JSON.parse(String(calls[0]!.init.body))).toEqual({ email: "a@b.c", password: "pw" });
  });

  it("says when the session expired", () => {
    renderWithProviders(<LoginForm onSignedIn={() => {}} expired />);
    expect(screen.getByText(/session has expired/)).toBeInTheDocument();
  });
});

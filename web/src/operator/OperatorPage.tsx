import { useSignal } from "@preact/signals";
import { adminToken } from "../api.js";
import { Section } from "../components.js";
import { Dashboard } from "./Dashboard.js";

/** The operator's pages, behind the admin token (kept in this tab's sessionStorage only, never in the URL). */
export function OperatorPage() {
  const token = useSignal(adminToken.get());
  const text = useSignal("");
  if (!token.value) {
    return (
      <Section title="Operator sign-in" id="signin">
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            adminToken.set(text.value.trim());
            token.value = text.value.trim();
          }}
        >
          <label>
            Admin token
            <input
              type="password"
              autoComplete="off"
              value={text.value}
              onInput={(e) => (text.value = (e.target as HTMLInputElement).value)}
              data-testid="admin-token"
            />
          </label>
          <button type="submit" disabled={!text.value.trim()}>
            Sign in
          </button>
        </form>
        <p class="muted small">
          The solver prints where its token is (data/devnet/admin.token on the devnet). It stays in this tab only.
        </p>
      </Section>
    );
  }
  return (
    <Dashboard
      signOut={() => {
        adminToken.clear();
        token.value = null;
      }}
    />
  );
}

import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

/**
 * The web app: web/ → web/dist, served by the solver's API at `/` (same origin, so no CORS and no API URL to
 * configure). Preact's JSX runtime; the operator, LP and report pages are split into their own chunks so the
 * trader's first load carries only what it needs.
 */
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "/",
  logLevel: "warn",
  oxc: { jsx: { runtime: "automatic", importSource: "preact" } },
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
    reportCompressedSize: false,
    chunkSizeWarningLimit: 600,
  },
});

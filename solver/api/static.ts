import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance } from "fastify";

/** Where `vite build` writes the web app (web/ → web/dist). */
export const WEB_DIST = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "web", "dist");

/**
 * The web app at `/`, same origin as the API: the files `vite build` wrote, listed once at start-up (no
 * wildcard route, so an unknown path still gets the API's NOT_FOUND). Hashed assets are cached for a year;
 * index.html is revalidated so a new build is picked up.
 */
export async function serveWebApp(app: FastifyInstance, root = WEB_DIST): Promise<void> {
  if (!existsSync(join(root, "index.html"))) {
    app.log.warn({ root }, "no web app build (npm run build); serving the API only");
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/",
    wildcard: false,
    index: ["index.html"],
    setHeaders: (res, path) => {
      const hashed = path.includes(`${join("dist", "assets")}`);
      res.header("cache-control", hashed ? "public, max-age=31536000, immutable" : "no-cache");
    },
  });
}

import { defineConfig } from "vite";
import preact from "@preact/preset-vite";

// The app is static files: `vite build` writes them to dist/, which scripts/ui.sh serves.
export default defineConfig({
  plugins: [preact()],
  base: "./",
  build: { outDir: "dist", target: "es2022", chunkSizeWarningLimit: 2000 },
  server: { host: "127.0.0.1" },
  preview: { host: "127.0.0.1" },
});

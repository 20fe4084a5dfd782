import { createContext } from "preact";
import type { CannedModel } from "@/utils/canned-replies";

/** The signed-in user's canned replies; null where the panel has none (compose fields then offer no insertion). */
export const CannedContext = createContext<CannedModel | null>(null);

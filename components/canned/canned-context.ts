import { createContext } from "preact";
import type { CannedModel } from "@/utils/canned-replies";

/** The signed-in user's canned replies; null where the panel has none (compose fields then offer no insertion). */
export const CannedContext = createContext<CannedModel | null>(null);

/** Opens the canned-replies screen (the picker's "Manage…"); null where there is none. */
export const CannedManageContext = createContext<(() => void) | null>(null);

/** Who did it: a logged-in user, or the system itself (scheduler, gateway notifications). */
export interface Actor {
  id: number | null;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: '系统' };

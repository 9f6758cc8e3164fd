/** Colour only when asked for and not disabled by NO_COLOR (https://no-color.org). */
export function useColor(flag: boolean): boolean {
  return flag && !process.env.NO_COLOR;
}

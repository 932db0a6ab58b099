// How the client is addressed in what the brand sends (greetings, surveys): 蔡德明 (male) → 蔡先生;
// four-character names keep a two-character surname (欧阳明月 → 欧阳女士); no gender → the full name.
export function salutation(name: string, gender: string | null): string {
  const surname = name.length >= 2 && name.length <= 4 ? name.slice(0, name.length === 4 ? 2 : 1) : name;
  if (gender === 'male') return `${surname}先生`;
  if (gender === 'female') return `${surname}女士`;
  return name;
}

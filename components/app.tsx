export function App() {
  return (
    <main aria-label="Live Conversations">
      <h1>Live Conversations</h1>
    </main>
  );
}

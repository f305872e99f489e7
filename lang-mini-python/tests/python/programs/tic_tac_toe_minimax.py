LINES = [(0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6), (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6)]
def winner(b):
    for a, c, d in LINES:
        if b[a] != " " and b[a] == b[c] == b[d]:
            return b[a]
    return None
def minimax(b, player, memo):
    key = "".join(b) + player
    if key in memo:
        return memo[key]
    w = winner(b)
    if w is not None:
        return 1 if w == "X" else -1
    if " " not in b:
        return 0
    scores = []
    for i in range(9):
        if b[i] == " ":
            b[i] = player
            scores.append(minimax(b, "O" if player == "X" else "X", memo))
            b[i] = " "
    result = max(scores) if player == "X" else min(scores)
    memo[key] = result
    return result
def best_move(b, player, memo):
    best = None
    for i in range(9):
        if b[i] == " ":
            b[i] = player
            s = minimax(b, "O" if player == "X" else "X", memo)
            b[i] = " "
            if best is None or (player == "X" and s > best[0]) or (player == "O" and s < best[0]):
                best = (s, i)
    return best
memo = {}
board = [" "] * 9
player = "X"
while winner(board) is None and " " in board:
    score, move = best_move(board, player, memo)
    board[move] = player
    player = "O" if player == "X" else "X"
for r in range(3):
    print("|".join(board[3 * r:3 * r + 3]))
print("winner:", winner(board), "positions memoized:", len(memo))
